/**
 * Exact delivery accounting per consumer group: every (producer, key, seq) is checked, none
 * sampled. Memory is per (producer, key) stream, not per event: a contiguous watermark plus the
 * set of sequence numbers seen above it, which stays empty while delivery is in order.
 */
export interface DeliveryCounts {
  readonly sent: number;
  readonly acked: number;
  /** Distinct events the group received. */
  readonly consumed: number;
  /** Acknowledged by the system, never received by the group. */
  readonly lost: number;
  /** Received more than once. */
  readonly duplicated: number;
  /** Received after a later event of the same (producer, key). */
  readonly outOfOrder: number;
  /** Events of another run or not in eventbench's envelope. */
  readonly foreign: number;
}

class KeyStream {
  /** Every seq below this has been received. */
  contiguous = 0;
  above: Set<number> | undefined;
  maxSeen = -1;

  /** Returns whether this is the first receipt of `seq`. */
  receive(seq: number): { first: boolean; late: boolean } {
    const late = seq < this.maxSeen;
    if (seq > this.maxSeen) this.maxSeen = seq;
    if (seq < this.contiguous || this.above?.has(seq)) return { first: false, late };
    if (seq === this.contiguous) {
      this.contiguous++;
      while (this.above?.delete(this.contiguous)) this.contiguous++;
    } else {
      (this.above ??= new Set()).add(seq);
    }
    return { first: true, late };
  }

  has(seq: number): boolean {
    return seq < this.contiguous || (this.above?.has(seq) ?? false);
  }

  get distinct(): number {
    return this.contiguous + (this.above?.size ?? 0);
  }
}

const streamId = (producerId: number, keyIndex: number) => producerId * 0x1_0000_0000 + keyIndex;

export class DeliveryVerifier {
  private readonly groups = new Map<string, { streams: Map<number, KeyStream>; duplicated: number; outOfOrder: number; foreign: number }>();
  /** Per (producer, key): how many seqs were handed to the system. */
  private readonly sentPerStream = new Map<number, number>();
  /** Events the system refused or failed (not acknowledged), by stream. */
  private readonly notAcked = new Map<number, Set<number>>();

  constructor(groups: readonly string[]) {
    for (const g of groups) this.groups.set(g, { streams: new Map(), duplicated: 0, outOfOrder: 0, foreign: 0 });
  }

  /** Packed triples (producerId, keyIndex, seq) from consumer threads. */
  receivePacked(group: string, triples: Uint32Array): void {
    const state = this.groupState(group);
    for (let i = 0; i + 2 < triples.length; i += 3) {
      const id = streamId(triples[i] as number, triples[i + 1] as number);
      let stream = state.streams.get(id);
      if (!stream) {
        stream = new KeyStream();
        state.streams.set(id, stream);
      }
      const { first, late } = stream.receive(triples[i + 2] as number);
      if (!first) state.duplicated++;
      else if (late) state.outOfOrder++;
    }
  }

  foreign(group: string, count: number): void {
    this.groupState(group).foreign += count;
  }

  /** Final per-key send counts from a producer (index = key index, value = next seq). */
  sent(producerId: number, nextSeqPerKey: readonly number[]): void {
    nextSeqPerKey.forEach((next, keyIndex) => {
      if (next > 0) this.sentPerStream.set(streamId(producerId, keyIndex), next);
    });
  }

  /** Packed triples of events whose append failed or conflicted. */
  failed(triples: Uint32Array): void {
    for (let i = 0; i + 2 < triples.length; i += 3) {
      const id = streamId(triples[i] as number, triples[i + 1] as number);
      let set = this.notAcked.get(id);
      if (!set) {
        set = new Set();
        this.notAcked.set(id, set);
      }
      set.add(triples[i + 2] as number);
    }
  }

  counts(group: string): DeliveryCounts {
    const state = this.groupState(group);
    let sent = 0;
    let notAcked = 0;
    let lost = 0;
    let consumedAcked = 0;
    let consumed = 0;
    for (const [id, next] of this.sentPerStream) {
      sent += next;
      const failed = this.notAcked.get(id);
      notAcked += failed?.size ?? 0;
      const stream = state.streams.get(id);
      let received = stream?.distinct ?? 0;
      // A failed append that the system applied anyway was received but never acknowledged.
      if (failed && stream) for (const seq of failed) if (stream.has(seq)) received--;
      consumedAcked += received;
    }
    for (const stream of state.streams.values()) consumed += stream.distinct;
    lost = sent - notAcked - consumedAcked;
    return {
      sent,
      acked: sent - notAcked,
      consumed,
      lost: Math.max(0, lost),
      duplicated: state.duplicated,
      outOfOrder: state.outOfOrder,
      foreign: state.foreign,
    };
  }

  private groupState(group: string) {
    const state = this.groups.get(group);
    if (!state) throw new Error(`verifier: unknown consumer group ${group}`);
    return state;
  }
}
