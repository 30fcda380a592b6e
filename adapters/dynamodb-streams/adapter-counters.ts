import type { ShardReaderCounters } from "../aws/leased-shard-reader.js";
import type { ThrottleCounter } from "../aws/throttle-retry.js";

/**
 * What the adapter did that the harness cannot see, as running totals; `stats()` hands them to the
 * harness, which sums them over threads into the result's `adapterStats`. `throttledRetries`:
 * requests DynamoDB throttled (ProvisionedThroughputExceeded and the like) and the adapter retried;
 * the stream reader's counters are the shared leased reader's.
 */
export interface AdapterCounters extends ThrottleCounter, ShardReaderCounters {
  /** Stream records that replaced an existing version: an unversioned batch write overwrote an event. */
  overwrittenEvents: number;
}

export function newAdapterCounters(): AdapterCounters {
  return {
    throttledRetries: 0,
    expiredIteratorsRenewed: 0,
    trimmedCheckpointsSkipped: 0,
    streamReadErrors: 0,
    leasesTakenOver: 0,
    leasesLost: 0,
    leasesHandedOver: 0,
    overwrittenEvents: 0,
  };
}
