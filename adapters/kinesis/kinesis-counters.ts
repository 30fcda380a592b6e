import type { ShardReaderCounters } from "../aws/leased-shard-reader.js";
import type { ThrottleCounter } from "../aws/throttle-retry.js";

/**
 * What the adapter did that the harness cannot see, as running totals (summed over threads into
 * the result's `adapterStats`): `throttledRetries` counts requests Kinesis or the lease table
 * throttled and the adapter retried; the reader's counters are the shared leased reader's.
 */
export interface KinesisCounters extends ThrottleCounter, ShardReaderCounters {
  /** Records a PutRecords answer failed (ErrorCode, throttling on AWS) that were sent again. */
  putRecordsRetried: number;
}

export function newKinesisCounters(): KinesisCounters {
  return { throttledRetries: 0, putRecordsRetried: 0, expiredIteratorsRenewed: 0, trimmedCheckpointsSkipped: 0, streamReadErrors: 0, leasesTakenOver: 0, leasesLost: 0, leasesHandedOver: 0 };
}
