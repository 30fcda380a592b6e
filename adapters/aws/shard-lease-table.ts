import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  UpdateItemCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type QueryCommandOutput,
} from "@aws-sdk/client-dynamodb";
import { withThrottleRetries, type ThrottleCounter } from "./throttle-retry.js";

/** The checkpoint of a shard read to its end: its children may start. */
export const SHARD_END = "SHARD_END";

const ATTR = { group: "g", shard: "s", owner: "o", counter: "c", checkpoint: "cp" } as const;
const NAMES = { "#o": ATTR.owner, "#c": ATTR.counter, "#cp": ATTR.checkpoint };
/** A member's presence item sits beside the group's shard leases; no shard id starts so. */
const MEMBER_PREFIX = "member:";

export interface ShardLease {
  readonly shardId: string;
  /** Member holding the lease; undefined once released (a closed member, a finished shard). */
  readonly owner: string | undefined;
  /** Bumped by every renewal: a counter that stands still means the owner stopped. */
  readonly counter: number;
  /** Last sequence number acknowledged without a gap, `SHARD_END`, or undefined (from the start). */
  readonly checkpoint: string | undefined;
}

/** A group's leases by shard id and its members' presence counters by owner, as one read found them. */
export interface GroupLeases {
  readonly leases: Map<string, ShardLease>;
  /** Bumped by each member's every sweep: a counter that stands still means that member stopped. */
  readonly members: Map<string, number>;
}

/**
 * Leases on a stream's shards, one item per (group, shard), in a small DynamoDB table beside the
 * events, as the Kinesis Client Library keeps them: whoever holds a shard's lease is the only
 * member of its group reading it, and the checkpoint in the lease is where the next holder resumes.
 * Every change is conditional, so two members never both win a shard, and a member whose lease was
 * taken cannot move the checkpoint any more.
 */
export class ShardLeaseTable {
  constructor(
    private readonly client: DynamoDBClient,
    readonly name: string,
    private readonly maxAttempts: number,
    private readonly counter: ThrottleCounter,
  ) {}

  static nameFor(streamTable: string): string {
    return `${streamTable}-leases`;
  }

  /** Idempotent: another member or thread may be creating it at the same moment. */
  async create(): Promise<void> {
    try {
      await this.client.send(
        new CreateTableCommand({
          TableName: this.name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: ATTR.group, AttributeType: "S" },
            { AttributeName: ATTR.shard, AttributeType: "S" },
          ],
          KeySchema: [
            { AttributeName: ATTR.group, KeyType: "HASH" },
            { AttributeName: ATTR.shard, KeyType: "RANGE" },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client: this.client, maxWaitTime: 120 }, { TableName: this.name });
  }

  /** The group's leases by shard id. */
  async list(group: string): Promise<Map<string, ShardLease>> {
    return (await this.listGroup(group)).leases;
  }

  /** The group's leases and members (strongly consistent: a member decides on what it reads here). */
  async listGroup(group: string): Promise<GroupLeases> {
    const leases = new Map<string, ShardLease>();
    const members = new Map<string, number>();
    let start: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page: QueryCommandOutput = await this.send(
        () =>
          this.client.send(
            new QueryCommand({
              TableName: this.name,
              KeyConditionExpression: "#g = :g",
              ExpressionAttributeNames: { "#g": ATTR.group },
              ExpressionAttributeValues: { ":g": { S: group } },
              ConsistentRead: true,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          ),
      );
      for (const item of page.Items ?? []) {
        const shardId = item[ATTR.shard]?.S as string;
        if (shardId.startsWith(MEMBER_PREFIX)) {
          members.set(shardId.slice(MEMBER_PREFIX.length), Number(item[ATTR.counter]?.N ?? 0));
          continue;
        }
        leases.set(shardId, { shardId, owner: item[ATTR.owner]?.S, counter: Number(item[ATTR.counter]?.N ?? 0), checkpoint: item[ATTR.checkpoint]?.S });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { leases, members };
  }

  /** Says `owner` is a live member of the group (the KCL counts workers by their leases; a member holding none counts here too). */
  async heartbeat(group: string, owner: string): Promise<void> {
    await this.send(() =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.name,
          Key: this.key(group, MEMBER_PREFIX + owner),
          UpdateExpression: "SET #o = :me, #c = if_not_exists(#c, :zero) + :one",
          ExpressionAttributeNames: { "#o": ATTR.owner, "#c": ATTR.counter },
          ExpressionAttributeValues: { ":me": { S: owner }, ":zero": { N: "0" }, ":one": { N: "1" } },
        }),
      ),
    );
  }

  /** Removes `owner`'s presence (a member leaving cleanly): the others need not wait for it to expire. */
  async leave(group: string, owner: string): Promise<void> {
    await this.send(() => this.client.send(new DeleteItemCommand({ TableName: this.name, Key: this.key(group, MEMBER_PREFIX + owner) })));
  }

  /** Leases a shard no member of the group has leased before; undefined when another was first. */
  async claimNew(group: string, shardId: string, owner: string): Promise<ShardLease | undefined> {
    const won = await this.conditionally(() =>
      this.client.send(
        new PutItemCommand({
          TableName: this.name,
          Item: { [ATTR.group]: { S: group }, [ATTR.shard]: { S: shardId }, [ATTR.owner]: { S: owner }, [ATTR.counter]: { N: "1" } },
          ConditionExpression: "attribute_not_exists(#s)",
          ExpressionAttributeNames: { "#s": ATTR.shard },
        }),
      ),
    );
    return won ? { shardId, owner, counter: 1, checkpoint: undefined } : undefined;
  }

  /** Takes a released or expired lease, if nobody renewed or took it since it was read. */
  async take(group: string, lease: ShardLease, owner: string): Promise<ShardLease | undefined> {
    const won = await this.conditionally(() =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.name,
          Key: this.key(group, lease.shardId),
          UpdateExpression: "SET #o = :me, #c = #c + :one",
          ConditionExpression: "#c = :seen",
          ExpressionAttributeNames: { "#o": ATTR.owner, "#c": ATTR.counter },
          ExpressionAttributeValues: { ":me": { S: owner }, ":one": { N: "1" }, ":seen": { N: String(lease.counter) } },
        }),
      ),
    );
    return won ? { ...lease, owner, counter: lease.counter + 1 } : undefined;
  }

  /** Renews a lease held by `owner`, persisting `checkpoint` when given; false when it was taken. */
  renew(group: string, shardId: string, owner: string, checkpoint: string | undefined): Promise<boolean> {
    return this.update(group, shardId, owner, checkpoint, false);
  }

  /** Gives a lease up with its final checkpoint, for the next member (or, at `SHARD_END`, the children). */
  async release(group: string, shardId: string, owner: string, checkpoint: string | undefined): Promise<void> {
    await this.update(group, shardId, owner, checkpoint, true);
  }

  private update(group: string, shardId: string, owner: string, checkpoint: string | undefined, release: boolean): Promise<boolean> {
    const set = ["#c = #c + :one", ...(checkpoint !== undefined ? ["#cp = :cp"] : [])];
    return this.conditionally(() =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.name,
          Key: this.key(group, shardId),
          UpdateExpression: `SET ${set.join(", ")}${release ? " REMOVE #o" : ""}`,
          ConditionExpression: "#o = :me",
          ExpressionAttributeNames: checkpoint !== undefined ? NAMES : { "#o": ATTR.owner, "#c": ATTR.counter },
          ExpressionAttributeValues: { ":me": { S: owner }, ":one": { N: "1" }, ...(checkpoint !== undefined ? { ":cp": { S: checkpoint } } : {}) },
        }),
      ),
    );
  }

  private key(group: string, shardId: string) {
    return { [ATTR.group]: { S: group }, [ATTR.shard]: { S: shardId } };
  }

  /** True when the write happened, false when its condition failed (another member got there first). */
  private async conditionally(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.send(write);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private send<T>(call: () => Promise<T>): Promise<T> {
    return withThrottleRetries(call, this.maxAttempts, this.counter);
  }
}
