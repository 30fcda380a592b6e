import type { Envelope } from "../../../harness/measurement/event-envelope.js";
import { monotonicNowNs } from "../../../harness/measurement/monotonic-clock.js";

interface Waiter {
  readonly seq: number;
  readonly resolve: (visibleNs: number | null) => void;
}

/**
 * Tells a query that missed a command when the read model came to show it, without re-reading the
 * read model in a loop (which at high query rates would load it more than the queries do). The
 * projecting members run in the same thread as the queries and report each batch once the read
 * model has applied it; a waiter on (producer, aggregate, seq) is released by the first batch that
 * makes it visible.
 */
export class VisibilityWaiters {
  /** Highest seq + 1 applied per (producer, aggregate). */
  private readonly applied = new Map<number, number>();
  private readonly waiting = new Map<number, Waiter[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly keys: number) {}

  /** The projector: these events are visible in the read model since `visibleNs`. */
  appliedBatch(events: readonly Envelope[], visibleNs: number): void {
    const touched = new Set<number>();
    for (const e of events) {
      const id = e.producerId * this.keys + e.keyIndex;
      if (e.seq + 1 > (this.applied.get(id) ?? 0)) this.applied.set(id, e.seq + 1);
      if (this.waiting.has(id)) touched.add(id);
    }
    for (const id of touched) {
      const high = this.applied.get(id) ?? 0;
      const list = this.waiting.get(id) as Waiter[];
      const still = list.filter((w) => {
        if (w.seq >= high) return true;
        w.resolve(visibleNs);
        return false;
      });
      if (still.length) this.waiting.set(id, still);
      else this.waiting.delete(id);
    }
  }

  /** Resolves with when (producer, aggregate, seq) became visible, or null after `timeoutMs`. */
  whenVisible(producerId: number, keyIndex: number, seq: number, timeoutMs: number): Promise<number | null> {
    const id = producerId * this.keys + keyIndex;
    // Applied between the query's read and now: visible by now.
    if ((this.applied.get(id) ?? 0) > seq) return Promise.resolve(monotonicNowNs());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const list = this.waiting.get(id);
        if (list) this.waiting.set(id, list.filter((w) => w !== waiter));
        resolve(null);
      }, timeoutMs);
      this.timers.add(timer);
      const waiter: Waiter = {
        seq,
        resolve: (visibleNs) => {
          clearTimeout(timer);
          this.timers.delete(timer);
          resolve(visibleNs);
        },
      };
      const list = this.waiting.get(id);
      if (list) list.push(waiter);
      else this.waiting.set(id, [waiter]);
    });
  }

  /** Releases every waiter unanswered (the run is over). */
  close(): void {
    for (const list of this.waiting.values()) for (const w of list) w.resolve(null);
    this.waiting.clear();
  }
}
