import {
  ConditionalCheckFailedException,
  PutItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import { AggregateVersions } from "./aggregate-versions.js";
import { batchPut } from "./batch-put.js";
import type { UnversionedWrites } from "./dynamodb-settings.js";
import { EVENT_ATTR, eventItem } from "./event-item.js";
import { PerAggregateQueue } from "../aws/per-aggregate-queue.js";
import { withThrottleRetries, type ThrottleCounter } from "../aws/throttle-retry.js";

/** Written only if no event holds this version yet: a stale expected version fails here. */
const VERSION_IS_FREE = `attribute_not_exists(${EVENT_ATTR.version})`;
const MAX_TRANSACTION_ITEMS = 100;
/** Another producer took the version this one assumed: re-read the aggregate and try again, a few times. */
const VERSION_RACE_ATTEMPTS = 5;

export interface EventStoreProducerOptions {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly unversionedWrites: UnversionedWrites;
  readonly maxAttempts: number;
  readonly counter: ThrottleCounter;
}

/**
 * Appends as an event store does. An event with an expected version N is the item (aggregate,
 * N + 1), written only if that version is free, so a stale N is a conflict, not an error; several
 * events of one aggregate in one call go in one transaction, all or none. An expected version ahead
 * of the aggregate is not detected (that would take a second condition, i.e. a transaction, per
 * write). Events without an expected version get the next versions this producer knows of, written
 * as `unversionedWrites` says.
 */
export class EventStoreProducer implements EventProducer {
  private readonly queue = new PerAggregateQueue();
  private readonly versions: AggregateVersions;

  constructor(private readonly o: EventStoreProducerOptions) {
    this.versions = new AggregateVersions(o.client, o.table, o.maxAttempts, o.counter);
  }

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    const byAggregate = new Map<string, OutgoingEvent[]>();
    for (const e of events) {
      const list = byAggregate.get(e.key);
      if (list) list.push(e);
      else byAggregate.set(e.key, [e]);
    }
    const conditional: [string, OutgoingEvent[]][] = [];
    const batched: [string, OutgoingEvent[]][] = [];
    for (const entry of byAggregate) {
      const versioned = entry[1][0]?.expectedVersion !== undefined;
      (versioned || this.o.unversionedWrites === "conditional" ? conditional : batched).push(entry);
    }
    const [written] = await Promise.all([
      Promise.all(conditional.map(([aggregate, list]) => this.queue.run([aggregate], () => this.appendConditionally(aggregate, list)))),
      batched.length > 0 ? this.appendBatched(batched) : Promise.resolve(),
    ]);
    let appended = batched.reduce((n, [, list]) => n + list.length, 0);
    const conflicts: string[] = [];
    conditional.forEach(([aggregate, list], i) => {
      if (written[i]) appended += list.length;
      else conflicts.push(aggregate);
    });
    return { appended, conflicts };
  }

  async close(): Promise<void> {}

  /** True when written; false on a version conflict. */
  private async appendConditionally(aggregate: string, events: OutgoingEvent[]): Promise<boolean> {
    const expected = events[0]?.expectedVersion;
    try {
      if (expected !== undefined) {
        // What this producer knew of the aggregate may be outdated by the caller's own version.
        this.versions.forget(aggregate);
        return await this.writeConditionally(aggregate, expected, events);
      }
      for (let attempt = 0; attempt < VERSION_RACE_ATTEMPTS; attempt++) {
        const from = await this.versions.reserve(aggregate, events.length);
        if (await this.writeConditionally(aggregate, from, events)) return true;
        this.versions.forget(aggregate);
      }
      return false;
    } catch (error) {
      this.versions.forget(aggregate);
      throw error;
    }
  }

  private async writeConditionally(aggregate: string, from: number, events: OutgoingEvent[]): Promise<boolean> {
    if (events.length > MAX_TRANSACTION_ITEMS) throw new Error(`${events.length} events for one aggregate in one append: DynamoDB transactions hold at most ${MAX_TRANSACTION_ITEMS}`);
    const { client, table } = this.o;
    try {
      await withThrottleRetries<unknown>(
        () =>
          events.length === 1
            ? client.send(new PutItemCommand({ TableName: table, Item: eventItem(aggregate, from + 1, (events[0] as OutgoingEvent).payload), ConditionExpression: VERSION_IS_FREE }))
            : client.send(
                new TransactWriteItemsCommand({
                  TransactItems: events.map((e, i) => ({ Put: { TableName: table, Item: eventItem(aggregate, from + i + 1, e.payload), ConditionExpression: VERSION_IS_FREE } })),
                }),
              ),
        this.o.maxAttempts,
        this.o.counter,
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === "ConditionalCheckFailed")) return false;
      throw error;
    }
  }

  /**
   * Versions are reserved before the writes, so overlapping batches get distinct versions without
   * waiting for each other; a failed batch leaves its versions unused rather than reassigning them
   * to a batch that might overwrite one still in flight.
   */
  private async appendBatched(groups: [string, OutgoingEvent[]][]): Promise<void> {
    const firsts = await Promise.all(groups.map(([aggregate, list]) => this.versions.reserve(aggregate, list.length)));
    const items = groups.flatMap(([aggregate, list], g) => list.map((e, i) => eventItem(aggregate, (firsts[g] as number) + i + 1, e.payload)));
    await batchPut(this.o.client, this.o.table, items, this.o.maxAttempts, this.o.counter);
  }
}
