/**
 * Decides when another member's lease has expired the way the KCL does: by watching the lease's
 * counter, which its owner bumps on every renewal, on this member's own clock. No two hosts'
 * clocks are compared, so clock skew cannot hand a live member's shard to someone else.
 */
export class LeaseExpiryWatch {
  private readonly seen = new Map<string, { counter: number; sinceMs: number }>();

  constructor(
    private readonly expireAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True once the counter of `shardId`'s lease has stayed `counter` for `expireAfterMs` here. */
  expired(shardId: string, counter: number): boolean {
    const now = this.now();
    const seen = this.seen.get(shardId);
    if (!seen || seen.counter !== counter) {
      this.seen.set(shardId, { counter, sinceMs: now });
      return false;
    }
    return now - seen.sinceMs >= this.expireAfterMs;
  }
}
