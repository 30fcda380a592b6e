import {
  ConditionalCheckFailedException,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import { withThrottleRetries, type RetryCounter } from "./throttle-retry.js";

/** The event-store item: partition key = aggregate id, sort key = version, payload as Binary. */
export const ATTR = { key: "pk", version: "sk", payload: "p" } as const;
const NEW_VERSION_ONLY = "attribute_not_exists(sk)";
const MAX_TRANSACTION_ITEMS = 100;
/** Another writer took the version this producer assumed: catch up and try again, a few times. */
const VERSION_RACE_ATTEMPTS = 5;

function item(key: string, version: number, payload: Uint8Array) {
  return { [ATTR.key]: { S: key }, [ATTR.version]: { N: String(version) }, [ATTR.payload]: { B: payload } };
}

/**
 * Appends as an event store does: each event is the item (aggregate, version) written only if that
 * version is still free, so a stale expected version is rejected — a conflict, not an error. Several
 * events of one aggregate in one call go in one transaction: all or none.
 */
export class EventStoreProducer implements EventProducer {
  /**
   * Next version per aggregate as this producer knows it, for appends without an expected version.
   * Versions are reserved when an append starts, so concurrent appends of one aggregate write
   * distinct versions instead of racing each other for the same one.
   */
  private readonly nextVersion = new Map<string, Promise<number>>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly maxAttempts: number,
    private readonly retries: RetryCounter,
  ) {}

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    const byKey = new Map<string, OutgoingEvent[]>();
    for (const e of events) {
      const list = byKey.get(e.key);
      if (list) list.push(e);
      else byKey.set(e.key, [e]);
    }
    const outcomes = await Promise.all([...byKey].map(([key, list]) => this.appendAggregate(key, list)));
    let appended = 0;
    const conflicts: string[] = [];
    outcomes.forEach((ok, i) => {
      const [key, list] = [...byKey][i] as [string, OutgoingEvent[]];
      if (ok) appended += list.length;
      else conflicts.push(key);
    });
    return { appended, conflicts };
  }

  async close(): Promise<void> {}

  /** True when written; false on a version conflict. */
  private async appendAggregate(key: string, events: OutgoingEvent[]): Promise<boolean> {
    const expected = events[0]?.expectedVersion;
    if (expected !== undefined) return this.write(key, expected, events);
    for (let attempt = 0; attempt < VERSION_RACE_ATTEMPTS; attempt++) {
      const from = await this.reserve(key, events.length, attempt > 0);
      if (await this.write(key, from, events)) return true;
    }
    return false;
  }

  /** The first version of `count` new ones; `refresh` re-reads the aggregate after losing a race. */
  private reserve(key: string, count: number, refresh: boolean): Promise<number> {
    const known = refresh ? undefined : this.nextVersion.get(key);
    const from = known ?? this.currentVersion(key);
    this.nextVersion.set(key, from.then((v) => v + count));
    return from;
  }

  private async write(key: string, from: number, events: OutgoingEvent[]): Promise<boolean> {
    if (events.length > MAX_TRANSACTION_ITEMS) throw new Error(`${events.length} events for one aggregate in one append: DynamoDB transactions hold at most ${MAX_TRANSACTION_ITEMS}`);
    try {
      await withThrottleRetries<unknown>(
        () =>
          events.length === 1
            ? this.client.send(new PutItemCommand({ TableName: this.table, Item: item(key, from + 1, (events[0] as OutgoingEvent).payload), ConditionExpression: NEW_VERSION_ONLY }))
            : this.client.send(
                new TransactWriteItemsCommand({
                  TransactItems: events.map((e, i) => ({ Put: { TableName: this.table, Item: item(key, from + i + 1, e.payload), ConditionExpression: NEW_VERSION_ONLY } })),
                }),
              ),
        this.maxAttempts,
        this.retries,
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === "ConditionalCheckFailed")) return false;
      throw error;
    }
  }

  private async currentVersion(key: string): Promise<number> {
    const out = await withThrottleRetries(
      () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "pk = :k",
            ExpressionAttributeValues: { ":k": { S: key } },
            ScanIndexForward: false,
            Limit: 1,
            ProjectionExpression: "sk",
          }),
        ),
      this.maxAttempts,
      this.retries,
    );
    return Number(out.Items?.[0]?.[ATTR.version]?.N ?? 0);
  }
}
