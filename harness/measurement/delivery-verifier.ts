/**
 * Exact delivery accounting per consumer group: every (producer, key, seq) is checked, none
 * sampled. Memory is per (producer, key) stream and per gap in it, never per event (ReceivedRanges).
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

/**
 * The sequence numbers received of one (producer, key), as sorted disjoint ranges [start, end).
 * In-order delivery only ever extends the last range, so memory grows with the gaps (events lost
 * or still to come out of order), never with the events: a run that loses a second's worth early
 * on keeps two ranges per key, not a set of everything received after the gap.
 */
export class ReceivedRanges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private received = 0;
  private maxSeen = -1;

  /** Returns whether this is the first receipt of `seq`, and whether a later seq came before it. */
  receive(seq: number): { first: boolean; late: boolean } {
    const late = seq < this.maxSeen;
    if (seq > this.maxSeen) this.maxSeen = seq;
    const n = this.ends.length;
    if (n > 0 && seq === this.ends[n - 1]) {
      this.ends[n - 1] = seq + 1;
      this.received++;
      return { first: true, late };
    }
    const i = this.lastStartingAtOrBefore(seq);
    if (i >= 0 && seq < (this.ends[i] as number)) return { first: false, late };
    this.received++;
    const joinsLeft = i >= 0 && this.ends[i] === seq;
    const joinsRight = i + 1 < n && this.starts[i + 1] === seq + 1;
    if (joinsLeft && joinsRight) {
      this.ends[i] = this.ends[i + 1] as number;
      this.starts.splice(i + 1, 1);
      this.ends.splice(i + 1, 1);
    } else if (joinsLeft) {
      this.ends[i] = seq + 1;
    } else if (joinsRight) {
      this.starts[i + 1] = seq;
    } else {
      this.starts.splice(i + 1, 0, seq);
      this.ends.splice(i + 1, 0, seq + 1);
    }
    return { first: true, late };
  }

  has(seq: number): boolean {
    const i = this.lastStartingAtOrBefore(seq);
    return i >= 0 && seq < (this.ends[i] as number);
  }

  /** How many seqs in [from, to) were received. */
  countIn(from: number, to: number): number {
    let n = 0;
    for (let i = 0; i < this.starts.length; i++) {
      const lo = Math.max(from, this.starts[i] as number);
      const hi = Math.min(to, this.ends[i] as number);
      if (hi > lo) n += hi - lo;
    }
    return n;
  }

  get distinct(): number {
    return this.received;
  }

  /** Ranges held: what the verifier's memory grows with. */
  get ranges(): number {
    return this.starts.length;
  }

  private lastStartingAtOrBefore(seq: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] as number) <= seq) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}

/** Next seq per (producer, key) at one moment: where a fault's window of sent events begins or ends. */
export type SeqMarks = ReadonlyMap<number, number>;

export function seqMarks(sentPerKey: readonly { readonly producerId: number; readonly nextSeq: readonly number[] }[]): SeqMarks {
  const marks = new Map<number, number>();
  for (const { producerId, nextSeq } of sentPerKey) nextSeq.forEach((next, keyIndex) => next > 0 && marks.set(streamId(producerId, keyIndex), next));
  return marks;
}

const streamId = (producerId: number, keyIndex: number) => producerId * 0x1_0000_0000 + keyIndex;

export class DeliveryVerifier {
  private readonly groups = new Map<string, { streams: Map<number, ReceivedRanges>; duplicated: number; outOfOrder: number; foreign: number }>();
  /** Per (producer, key): how many seqs were handed to the system. */
  private readonly sentPerStream = new Map<number, number>();
  /** Events the system refused or failed (not acknowledged), by stream. */
  private readonly notAcked = new Map<number, Set<number>>();

  constructor(groups: readonly string[]) {
    for (const g of groups) this.groups.set(g, { streams: new Map(), duplicated: 0, outOfOrder: 0, foreign: 0 });
  }

  /** Packed triples (producerId, keyIndex, seq), in the order the group's members received them. */
  receivePacked(group: string, triples: Uint32Array): void {
    const state = this.groupState(group);
    for (let i = 0; i + 2 < triples.length; i += 3) {
      const id = streamId(triples[i] as number, triples[i + 1] as number);
      let stream = state.streams.get(id);
      if (!stream) {
        stream = new ReceivedRanges();
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

  /**
   * Events sent between two marks (seq in [from, to) of each stream) that were acknowledged and that
   * `group` never received: what was lost among the events of one fault's window.
   */
  lostBetween(group: string, from: SeqMarks, to: SeqMarks): number {
    const state = this.groupState(group);
    let lost = 0;
    for (const [id, end] of to) {
      const begin = Math.min(end, from.get(id) ?? 0);
      const stream = state.streams.get(id);
      let accounted = stream?.countIn(begin, end) ?? 0;
      // A failed append is not lost; one the system applied anyway was counted as received already.
      for (const seq of this.notAcked.get(id) ?? []) if (seq >= begin && seq < end && !stream?.has(seq)) accounted++;
      lost += end - begin - accounted;
    }
    return lost;
  }

  /** Duplicated and out-of-order receipts of `group` so far (a fault's window is the difference of two readings). */
  anomalies(group: string): { duplicated: number; outOfOrder: number } {
    const { duplicated, outOfOrder } = this.groupState(group);
    return { duplicated, outOfOrder };
  }

  private groupState(group: string) {
    const state = this.groups.get(group);
    if (!state) throw new Error(`verifier: unknown consumer group ${group}`);
    return state;
  }
}
