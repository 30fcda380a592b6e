import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import { ATTR } from "./event-store-producer.js";
import { ShardAckTracker, type ShardLeases } from "./shard-leases.js";
import { withThrottleRetries, type RetryCounter } from "./throttle-retry.js";

const DESCRIBE_EVERY_MS = 1_000;
const MAX_RECORDS_PER_CALL = 1_000;

interface OwnedShard {
  readonly shardId: string;
  iterator: string | undefined;
  lastDelivered: string | undefined;
  readonly acks: ShardAckTracker;
}

export interface StreamMemberWiring {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly leases: ShardLeases;
  readonly options: ConsumerOptions;
  readonly pollIntervalMs: number;
  readonly maxAttempts: number;
  readonly retries: RetryCounter & { expiredIterators: number; readErrors: number };
  readonly onEvents: EventHandler;
}

/**
 * A group member reading DynamoDB Streams: finds shards (DescribeStream, paged; again every
 * second for new ones), claims free shards — a child only after its parent is read to the end —,
 * polls each with GetRecords, resumes after the last acknowledged record when it takes a shard
 * over, and renews an expired iterator from the last record it delivered.
 */
export class StreamGroupMember implements EventConsumer {
  private readonly owned = new Map<string, OwnedShard>();
  private running = true;
  private loop: Promise<void> = Promise.resolve();
  private lastDescribe = 0;

  constructor(private readonly w: StreamMemberWiring) {}

  start(): void {
    this.loop = this.run();
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    for (const e of events) {
      const [shardId, sequence] = e.position.split("|") as [string, string];
      const checkpoint = this.owned.get(shardId)?.acks.ack(sequence);
      if (checkpoint) this.w.leases.advance(shardId, checkpoint);
    }
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    this.w.leases.releaseAll(this.w.options.member);
  }

  async kill(): Promise<void> {
    // Same as close here: what was delivered and not acknowledged is read again by the next owner.
    await this.close();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let received = 0;
      try {
        if (Date.now() - this.lastDescribe > DESCRIBE_EVERY_MS) await this.claimShards();
        for (const shard of [...this.owned.values()]) received += await this.poll(shard);
      } catch {
        this.w.retries.readErrors++;
      }
      if (received === 0 && this.running) await new Promise((r) => setTimeout(r, this.w.pollIntervalMs));
    }
  }

  private async claimShards(): Promise<void> {
    this.lastDescribe = Date.now();
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await withThrottleRetries(
        () => this.w.client.send(new DescribeStreamCommand({ StreamArn: this.w.streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) })),
        this.w.maxAttempts,
        this.w.retries,
      );
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    const known = new Set(shards.map((s) => s.ShardId as string));
    for (const s of shards) {
      const id = s.ShardId as string;
      if (this.owned.has(id)) continue;
      if (this.w.leases.tryClaim(this.w.options.member, id, s.ParentShardId, known)) {
        this.owned.set(id, { shardId: id, iterator: undefined, lastDelivered: this.w.leases.checkpoint(id), acks: new ShardAckTracker() });
      }
    }
  }

  private async iteratorFor(shard: OwnedShard): Promise<string | undefined> {
    const out = await withThrottleRetries(
      () =>
        this.w.client.send(
          new GetShardIteratorCommand({
            StreamArn: this.w.streamArn,
            ShardId: shard.shardId,
            ...(shard.lastDelivered
              ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: shard.lastDelivered }
              : { ShardIteratorType: "TRIM_HORIZON" }),
          }),
        ),
      this.w.maxAttempts,
      this.w.retries,
    );
    return out.ShardIterator;
  }

  /** Reads once from a shard; returns how many records it delivered. */
  private async poll(shard: OwnedShard): Promise<number> {
    shard.iterator ??= await this.iteratorFor(shard);
    if (!shard.iterator) return this.finish(shard);
    let out;
    try {
      out = await withThrottleRetries(
        () => this.w.client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: Math.min(MAX_RECORDS_PER_CALL, this.w.options.maxBatch ?? MAX_RECORDS_PER_CALL) })),
        this.w.maxAttempts,
        this.w.retries,
      );
    } catch (error) {
      // Iterators expire 15 minutes after they were issued: start again after the last record.
      if (error instanceof ExpiredIteratorException) {
        this.w.retries.expiredIterators++;
        shard.iterator = undefined;
        return 0;
      }
      throw error;
    }
    const events: DeliveredEvent[] = [];
    for (const r of out.Records ?? []) {
      const image = r.dynamodb?.NewImage;
      const sequence = r.dynamodb?.SequenceNumber;
      if (!image || !sequence || r.eventName !== "INSERT") continue;
      shard.lastDelivered = sequence;
      shard.acks.deliver(sequence);
      events.push({ key: image[ATTR.key]?.S ?? "", payload: image[ATTR.payload]?.B ?? new Uint8Array(), position: `${shard.shardId}|${sequence}` });
    }
    shard.iterator = out.NextShardIterator;
    if (events.length > 0 && this.running) this.w.onEvents(events);
    if (!shard.iterator) this.finish(shard);
    return events.length;
  }

  private finish(shard: OwnedShard): number {
    // A closed shard is read to its end: its children may start (after the next DescribeStream).
    this.owned.delete(shard.shardId);
    this.w.leases.finish(shard.shardId);
    this.lastDescribe = 0;
    return 0;
  }
}
