/**
 * Which records of one shard are acknowledged without a gap: the checkpoint is the last of them, so
 * a member taking the shard over re-reads only what was not acknowledged. Sequence numbers exceed
 * 2^53 and are kept as strings; the delivery order is the shard's order, so none are compared.
 */
export class ShardAckTracker {
  private delivered: string[] = [];
  private head = 0;
  private readonly acked = new Set<string>();

  deliver(sequenceNumber: string): void {
    this.delivered.push(sequenceNumber);
  }

  /** Returns the new checkpoint when the acknowledged run grew. */
  ack(sequenceNumber: string): string | undefined {
    this.acked.add(sequenceNumber);
    let advanced: string | undefined;
    while (this.head < this.delivered.length && this.acked.delete(this.delivered[this.head] as string)) advanced = this.delivered[this.head++];
    if (this.head > 1024 && this.head * 2 > this.delivered.length) {
      this.delivered = this.delivered.slice(this.head);
      this.head = 0;
    }
    return advanced;
  }

  /** Everything delivered is acknowledged. */
  get settled(): boolean {
    return this.head === this.delivered.length;
  }
}
