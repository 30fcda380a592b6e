import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import type { ArrivalSchedule } from "./arrival-schedule.js";
import { threadWakeClock, type Wakeup } from "./precise-wake.js";
import { threadTurn } from "./turn-budget.js";

export interface OpenLoopSchedulerOptions {
  /** Calls in flight at most (k6 maxVUs); due items wait beyond it, and their wait counts. */
  readonly maxInFlight: number;
  /** Items per call; items are never held back to fill a call beyond `lingerMs`. Default 1. */
  readonly batchSize?: number;
  /** How long a partial call may wait for more due items (0: start whatever is due). Default 0. */
  readonly lingerMs?: number;
  /** Told after every tick how many due items were not started, and whether the in-flight limit held them. */
  readonly onBehind?: (behind: number, inFlightLimited: boolean) => void;
}

/**
 * Starts one call for items [first, first + count), all due by `nowNs` (read once per tick: the
 * moment the harness got round to them). The call ends with `done()`, once, which frees its
 * in-flight slot; what the call does after that (waiting for a read model) is its own business.
 */
export type OpenLoopCall = (first: number, count: number, nowNs: number, done: () => void) => void;

/**
 * The one open loop every rate-driven role uses (producers, rehydrations, queries): item i is due
 * at its intended time from the schedule, whether or not earlier ones finished, and the caller
 * measures latency from `intendedNs(i)`, so a stalled system shows its stall (coordinated
 * omission). It wakes on the thread's precise wake clock and shares the thread's turn budget: a
 * call that completes in a microtask (an in-process system) cannot keep the event loop to itself.
 */
export class OpenLoopScheduler {
  private next = 0;
  private inFlight = 0;
  private t0Ns = 0;
  /** The next tick, when one is scheduled: a wake at a due time, or a yield of the event loop. */
  private wakeup: Wakeup | undefined;
  private stopped = false;
  /** Set when stop() gave up on the calls in flight: their late done() frees nothing. */
  private abandoned = false;
  private idle: (() => void) | undefined;
  private readonly batchSize: number;
  private readonly lingerMs: number;

  constructor(
    private readonly schedule: ArrivalSchedule,
    private readonly call: OpenLoopCall,
    private readonly o: OpenLoopSchedulerOptions,
  ) {
    this.batchSize = o.batchSize ?? 1;
    this.lingerMs = o.lingerMs ?? 0;
  }

  start(t0Ns: number): void {
    this.t0Ns = t0Ns;
    this.tick();
  }

  /** Intended time of item `i` on the monotonic clock: what latency is measured from. */
  intendedNs(i: number): number {
    return this.t0Ns + this.schedule.timeOf(i) * 1e9;
  }

  /** Every item of the schedule started, and every call done. */
  get finished(): boolean {
    return this.next >= this.schedule.totalEvents && this.inFlight === 0;
  }

  /**
   * Starts nothing more; resolves true once every call in flight is done, or false after
   * `giveUpAfterMs`, when the calls still in flight are abandoned (a paused or killed server never
   * answers) and the caller counts them as it must.
   */
  stop(giveUpAfterMs = Infinity): Promise<boolean> {
    this.stopped = true;
    this.wakeup?.cancel();
    this.wakeup = undefined;
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer =
        giveUpAfterMs === Infinity
          ? undefined
          : setTimeout(() => {
              this.abandoned = true;
              this.inFlight = 0;
              resolve(false);
            }, giveUpAfterMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  private readonly tick = (): void => {
    this.wakeup = undefined;
    if (this.stopped) return;
    const total = this.schedule.totalEvents;
    const now = monotonicNowNs();
    const due = this.schedule.dueBy((now - this.t0Ns) / 1e9);
    while (this.next < due && this.inFlight < this.o.maxInFlight) {
      const n = Math.min(this.batchSize, due - this.next);
      const oldestWaitMs = (now - this.intendedNs(this.next)) / 1e6;
      if (n < this.batchSize && oldestWaitMs < this.lingerMs && due < total) break;
      const first = this.next;
      this.next += n;
      this.inFlight++;
      this.call(first, n, now, this.doneOnce());
    }
    const behind = due - this.next;
    const limited = behind > 0 && this.inFlight >= this.o.maxInFlight;
    this.o.onBehind?.(behind, limited);
    if (limited) return; // the next call done ticks again
    if (this.next >= total) return;
    // Items held back by linger go when the call fills or the oldest has waited lingerMs, whichever
    // comes first; otherwise sleep until the next item is due.
    const wakeNs =
      behind > 0 ? Math.min(this.intendedNs(Math.min(this.next + this.batchSize, total) - 1), this.intendedNs(this.next) + this.lingerMs * 1e6) : this.intendedNs(this.next);
    this.wakeup = threadWakeClock.wakeAt(wakeNs, this.dueTick);
  };

  private readonly dueTick = (): void => {
    threadTurn.startTurn();
    this.tick();
  };

  private doneOnce(): () => void {
    let called = false;
    return () => {
      if (called || this.abandoned) return;
      called = true;
      this.settled();
    };
  }

  private settled(): void {
    this.inFlight--;
    if (this.stopped) {
      if (this.inFlight === 0) this.idle?.();
      return;
    }
    if (this.wakeup !== undefined) return;
    if (!threadTurn.spent) return this.tick();
    let cancelled = false;
    this.wakeup = { cancel: () => (cancelled = true) };
    void threadTurn.nextTurn().then(() => cancelled || this.tick());
  }
}
