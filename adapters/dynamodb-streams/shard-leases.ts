/**
 * Which member of a group reads which shard, and from where a new owner resumes. DynamoDB Streams
 * has no consumer groups (the KCL keeps leases in a DynamoDB table); these leases live in one
 * adapter instance, i.e. they coordinate the members of one harness thread. Members in different
 * processes would each read every shard.
 */
export class ShardLeases {
  private readonly owners = new Map<string, string>();
  /** Last sequence number acknowledged without gaps, per shard: where a new owner resumes. */
  private readonly checkpoints = new Map<string, string>();
  private readonly finished = new Set<string>();

  /** Takes a shard nobody reads; a child only once its parent is read to its end. */
  tryClaim(member: string, shardId: string, parentShardId: string | undefined, knownShards: ReadonlySet<string>): boolean {
    if (this.owners.has(shardId) || this.finished.has(shardId)) return false;
    if (parentShardId && knownShards.has(parentShardId) && !this.finished.has(parentShardId)) return false;
    this.owners.set(shardId, member);
    return true;
  }

  checkpoint(shardId: string): string | undefined {
    return this.checkpoints.get(shardId);
  }

  advance(shardId: string, sequenceNumber: string): void {
    this.checkpoints.set(shardId, sequenceNumber);
  }

  finish(shardId: string): void {
    this.finished.add(shardId);
    this.owners.delete(shardId);
  }

  releaseAll(member: string): void {
    for (const [shard, owner] of this.owners) if (owner === member) this.owners.delete(shard);
  }
}

/** Acknowledged-without-gaps tracking inside one shard (sequence numbers exceed 2^53: kept as strings). */
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
}
