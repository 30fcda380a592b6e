import type { Receipts } from "../load/group-member.js";

const EMPTY: Receipts = { triples: new Uint32Array(0), receivedNs: new Float64Array(0) };

/** One receive-ordered run out of several (each already in receive order): a k-way merge, k being the threads. */
function merge(runs: readonly Receipts[]): Receipts {
  const nonEmpty = runs.filter((r) => r.receivedNs.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? EMPTY;
  const total = nonEmpty.reduce((n, r) => n + r.receivedNs.length, 0);
  const triples = new Uint32Array(3 * total);
  const receivedNs = new Float64Array(total);
  const at = nonEmpty.map(() => 0);
  for (let out = 0; out < total; out++) {
    let pick = 0;
    let earliest = Infinity;
    for (let k = 0; k < nonEmpty.length; k++) {
      const times = (nonEmpty[k] as Receipts).receivedNs;
      const i = at[k] as number;
      if (i < times.length && (times[i] as number) < earliest) {
        earliest = times[i] as number;
        pick = k;
      }
    }
    const from = (nonEmpty[pick] as Receipts).triples;
    const i = at[pick] as number;
    receivedNs[out] = earliest;
    triples[3 * out] = from[3 * i] as number;
    triples[3 * out + 1] = from[3 * i + 1] as number;
    triples[3 * out + 2] = from[3 * i + 2] as number;
    at[pick] = i + 1;
  }
  return { triples, receivedNs };
}

/** Index of the first receipt after `ns` (receipts in receive order). */
function firstAfter(r: Receipts, ns: number): number {
  let lo = 0;
  let hi = r.receivedNs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((r.receivedNs[mid] as number) <= ns) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Puts the receipts of every consumer thread into the one order they were received in (the
 * threads share the monotonic clock), so the verifier judges order across a group's members
 * wherever they run. Threads hand their receipts over each at its own moment of the reading: a
 * receipt later than the earliest of those moments may have an earlier one still on its way in
 * another thread's next reading, so it is held back until then.
 */
export class ReceiptOrder {
  private readonly held = new Map<string, Receipts>();

  /** Per group, the receipts up to the earliest thread's moment of this reading, in receive order. */
  release(intervals: readonly { readonly deliveries: Readonly<Record<string, Receipts>>; readonly takenAtNs: number }[]): Map<string, Uint32Array> {
    const watermark = Math.min(...intervals.map((i) => i.takenAtNs));
    const groups = new Set([...this.held.keys(), ...intervals.flatMap((i) => Object.keys(i.deliveries))]);
    const released = new Map<string, Uint32Array>();
    for (const group of groups) {
      const all = merge([this.held.get(group) ?? EMPTY, ...intervals.map((i) => i.deliveries[group] ?? EMPTY)]);
      const cut = firstAfter(all, watermark);
      this.held.set(group, { triples: all.triples.slice(3 * cut), receivedNs: all.receivedNs.slice(cut) });
      if (cut > 0) released.set(group, all.triples.subarray(0, 3 * cut));
    }
    return released;
  }

  /** Everything held back: at the end of an entry nothing more is on its way. */
  releaseAll(): Map<string, Uint32Array> {
    const released = new Map<string, Uint32Array>();
    for (const [group, r] of this.held) if (r.receivedNs.length > 0) released.set(group, r.triples);
    this.held.clear();
    return released;
  }
}
