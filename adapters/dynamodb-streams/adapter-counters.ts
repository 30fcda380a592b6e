/**
 * What the adapter did that the harness cannot see, as running totals; `stats()` hands them to the
 * harness, which sums them over threads into the result's `adapterStats`.
 */
export interface AdapterCounters {
  /** Requests DynamoDB throttled (ProvisionedThroughputExceeded and the like) and the adapter retried. */
  throttledRetries: number;
  /** Shard iterators that expired (15 minutes after issue) and were renewed after the last delivered record. */
  expiredIteratorsRenewed: number;
  /** Checkpoints older than the stream's 24-hour retention: reading resumed at the oldest record kept. */
  trimmedCheckpointsSkipped: number;
  /** Stream calls that failed and were tried again on the next loop. */
  streamReadErrors: number;
  /** Leases taken from a member that stopped renewing them (its unacknowledged events are read again). */
  leasesTakenOver: number;
  /** Leases this adapter's members found taken by another member when they went to renew them. */
  leasesLost: number;
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
    overwrittenEvents: 0,
  };
}
