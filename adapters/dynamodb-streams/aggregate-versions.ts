import { QueryCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EVENT_ATTR } from "./event-item.js";
import { withThrottleRetries, type ThrottleCounter } from "../aws/throttle-retry.js";

/**
 * Each aggregate's version as this producer knows it, read from the table the first time the
 * producer writes the aggregate (the highest sort key) and counted on from there.
 */
export class AggregateVersions {
  private readonly known = new Map<string, Promise<number>>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly maxAttempts: number,
    private readonly counter: ThrottleCounter,
  ) {}

  /** Reserves `count` versions after the known one; returns the version before them. */
  reserve(aggregate: string, count: number): Promise<number> {
    const before = this.known.get(aggregate) ?? this.read(aggregate);
    const after = before.then((v) => v + count);
    this.known.set(aggregate, after);
    // A failed read must not poison every later reservation of the aggregate.
    after.catch(() => {
      if (this.known.get(aggregate) === after) this.known.delete(aggregate);
    });
    return before;
  }

  /** Drops what is known, after a lost race or a failed write: the next reservation reads the table. */
  forget(aggregate: string): void {
    this.known.delete(aggregate);
  }

  private async read(aggregate: string): Promise<number> {
    const out = await withThrottleRetries(
      () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "#a = :a",
            ExpressionAttributeNames: { "#a": EVENT_ATTR.aggregate, "#v": EVENT_ATTR.version },
            ExpressionAttributeValues: { ":a": { S: aggregate } },
            ScanIndexForward: false,
            Limit: 1,
            ProjectionExpression: "#v",
            ConsistentRead: true,
          }),
        ),
      this.maxAttempts,
      this.counter,
    );
    return Number(out.Items?.[0]?.[EVENT_ATTR.version]?.N ?? 0);
  }
}
