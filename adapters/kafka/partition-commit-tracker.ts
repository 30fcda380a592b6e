/**
 * Which offset a group member may commit per partition: the one after the highest offset up to
 * which everything delivered was acknowledged. Acknowledgements may arrive out of order (several
 * batches in flight); committing past an unacknowledged event would lose it if this member died.
 *
 * A partition may be delivered again from an earlier offset: after a rejoin (both clients then read
 * again from the committed offset) or a restarted fetch stream. Each offset is held once, so an
 * acknowledgement of either copy counts for it; holding both would wait forever for a second
 * acknowledgement of an offset whose two acknowledgements had been merged into one.
 */
export class PartitionCommitTracker {
  private readonly partitions = new Map<number, { delivered: number[]; head: number; acked: Set<number>; committable: number; committed: number }>();

  delivered(partition: number, offset: number): void {
    let p = this.partitions.get(partition);
    if (!p) {
      p = { delivered: [], head: 0, acked: new Set(), committable: -1, committed: -1 };
      this.partitions.set(partition, p);
    }
    if (offset < p.committable) return; // acknowledged already: a copy read again
    // Read again from `offset`: what was delivered from there on comes again, in order.
    while (p.delivered.length > p.head && (p.delivered[p.delivered.length - 1] as number) >= offset) p.delivered.pop();
    p.delivered.push(offset);
  }

  acked(partition: number, offset: number): void {
    const p = this.partitions.get(partition);
    if (!p) return; // revoked meanwhile: its new owner re-reads from the last commit
    if (offset < p.committable) return; // the other copy of an offset delivered twice
    p.acked.add(offset);
    while (p.head < p.delivered.length && p.acked.delete(p.delivered[p.head] as number)) {
      p.committable = (p.delivered[p.head] as number) + 1;
      p.head++;
    }
    if (p.head > 1024 && p.head * 2 > p.delivered.length) {
      p.delivered = p.delivered.slice(p.head);
      p.head = 0;
    }
  }

  /** Partitions with something new to commit, as (partition, next offset to read). */
  pending(): { partition: number; offset: number }[] {
    const out: { partition: number; offset: number }[] = [];
    for (const [partition, p] of this.partitions) if (p.committable > p.committed) out.push({ partition, offset: p.committable });
    return out;
  }

  markCommitted(partition: number, offset: number): void {
    const p = this.partitions.get(partition);
    if (p && offset > p.committed) p.committed = offset;
  }

  /** After a rebalance: forget partitions this member no longer owns. */
  retain(owned: ReadonlySet<number>): void {
    for (const partition of this.partitions.keys()) if (!owned.has(partition)) this.partitions.delete(partition);
  }
}
