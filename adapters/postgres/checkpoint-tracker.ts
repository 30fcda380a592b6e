/** A subscription position: the inserting transaction and the event's position (xid8 and bigint, as text). */
export interface Cursor {
  readonly tx: string;
  readonly position: string;
}

/**
 * The checkpoint one partition may move to: the last event up to which everything delivered was
 * acknowledged. Acknowledgements may come out of order; moving past an unacknowledged event would
 * lose it if this member died.
 */
export class CheckpointTracker {
  private delivered: { cursor: Cursor; acked: boolean }[] = [];
  private head = 0;
  /** Absolute index of `delivered[0]` (acknowledged entries are dropped from the front). */
  private offset = 0;
  private readonly index = new Map<string, number>();
  private committable: Cursor | undefined;
  private dirty = false;

  deliver(cursor: Cursor): void {
    this.index.set(cursor.position, this.offset + this.delivered.length);
    this.delivered.push({ cursor, acked: false });
  }

  ack(position: string): void {
    const at = this.index.get(position);
    if (at === undefined) return;
    this.index.delete(position);
    const entry = this.delivered[at - this.offset];
    if (entry) entry.acked = true;
    while (this.head < this.delivered.length && this.delivered[this.head]?.acked) {
      this.committable = this.delivered[this.head]?.cursor;
      this.dirty = true;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.delivered.length) {
      this.delivered = this.delivered.slice(this.head);
      this.offset += this.head;
      this.head = 0;
    }
  }

  /** Delivered events not yet acknowledged. */
  get outstanding(): number {
    return this.delivered.length - this.head;
  }

  /** The cursor to store, once: undefined when nothing new was acknowledged since the last call. */
  takeCommittable(): Cursor | undefined {
    if (!this.dirty) return undefined;
    this.dirty = false;
    return this.committable;
  }
}
