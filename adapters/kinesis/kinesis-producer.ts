import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import { PerAggregateQueue } from "../aws/per-aggregate-queue.js";
import { backOff, withThrottleRetries } from "../aws/throttle-retry.js";
import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import type { KinesisCounters } from "./kinesis-counters.js";

/** PutRecords takes at most 500 records (the factory's `maxAppendBatch`). */
export const MAX_PUT_RECORDS = 500;

/**
 * Appends with one PutRecords per call, the aggregate as the partition key (so one aggregate's
 * events go to one shard). Appends run concurrently, but one that names an aggregate waits for
 * the appends before it that named it: two PutRecords of one key in flight at once could reach
 * the shard in either order. A PutRecords answer can fail single records
 * (ProvisionedThroughputExceeded on AWS): those are put again, counted, up to `maxAttempts`; a
 * record put again lands after the batch's later records of its key.
 */
export class KinesisProducer implements EventProducer {
  private readonly queue = new PerAggregateQueue();

  constructor(
    private readonly o: {
      readonly client: KinesisClient;
      readonly streamName: string;
      readonly maxAttempts: number;
      readonly counters: KinesisCounters;
    },
  ) {}

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    if (events.length > MAX_PUT_RECORDS) {
      throw new Error(`kinesis: PutRecords takes at most ${MAX_PUT_RECORDS} records; an append of ${events.length} events was asked (batchSize at most ${MAX_PUT_RECORDS})`);
    }
    if (events.length === 0) return { appended: 0, conflicts: [] };
    return this.queue.run(
      events.map((e) => e.key),
      () => this.put(events),
    );
  }

  private async put(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    let pending: PutRecordsRequestEntry[] = events.map((e) => ({ PartitionKey: e.key, Data: e.payload }));
    let appended = 0;
    for (let attempt = 1; ; attempt++) {
      const records = pending;
      const answer = await withThrottleRetries(() => this.o.client.send(new PutRecordsCommand({ StreamName: this.o.streamName, Records: records })), this.o.maxAttempts, this.o.counters);
      const failed = records.filter((_, i) => answer.Records?.[i]?.ErrorCode !== undefined);
      appended += records.length - failed.length;
      if (failed.length === 0) return { appended, conflicts: [] };
      if (attempt >= this.o.maxAttempts) {
        const first = answer.Records?.find((r) => r.ErrorCode);
        throw new Error(`kinesis: PutRecords failed ${failed.length} of ${records.length} records after ${attempt} attempts (${first?.ErrorCode}: ${first?.ErrorMessage})`);
      }
      this.o.counters.putRecordsRetried += failed.length;
      pending = failed;
      await backOff(attempt);
    }
  }

  async close(): Promise<void> {}
}
