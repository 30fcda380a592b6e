import type { EventProducer } from "../../adapters/contract/adapter.js";
import type { IntervalRecorder } from "../measurement/interval-recorder.js";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import { AppendRecorder, noAnswerWithin } from "./append-recorder.js";
import type { ArrivalSchedule } from "./arrival-schedule.js";
import type { AppendSource, SourcedEvent } from "./event-source.js";
import { threadWakeClock, type Wakeup } from "./precise-wake.js";
import { threadTurn } from "./turn-budget.js";

export interface OpenLoopOptions {
  /** Events per append call; events are never held back to fill a batch beyond `lingerMs`. */
  readonly batchSize: number;
  /** How long a partial batch may wait for more due events (0: send whatever is due). */
  readonly lingerMs: number;
  /** Append calls in flight at most (k6 maxVUs); due events wait beyond it, and their wait counts. */
  readonly maxInFlight: number;
}

/**
 * Constant- or ramping-arrival-rate producer: sends each event when the schedule says it is due,
 * whether or not earlier ones were acknowledged, and measures latency from that intended time.
 */
export class OpenLoopProducer {
  private next = 0;
  private inFlight = 0;
  private t0Ns = 0;
  /** The next tick, when one is scheduled: a wake at a due time, or a yield of the event loop. */
  private wakeup: Wakeup | undefined;
  private stopped = false;
  private idle: (() => void) | undefined;
  private readonly appends: AppendRecorder;

  constructor(
    private readonly schedule: ArrivalSchedule,
    private readonly source: AppendSource,
    private readonly producer: EventProducer,
    private readonly recorder: IntervalRecorder,
    private readonly o: OpenLoopOptions,
  ) {
    this.appends = new AppendRecorder(recorder, source.producerId);
  }

  start(t0Ns: number): void {
    this.t0Ns = t0Ns;
    this.tick();
  }

  /**
   * Stops scheduling; resolves when every append in flight has returned, or after `giveUpAfterMs`,
   * when the ones still unanswered are counted as failed (a paused or killed server never answers).
   */
  stop(giveUpAfterMs: number): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const batch of this.appends.giveUp(noAnswerWithin(giveUpAfterMs))) this.source.settled?.(batch, null);
        this.inFlight = 0;
        resolve();
      }, giveUpAfterMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  get finished(): boolean {
    return this.next >= this.schedule.totalEvents && this.inFlight === 0;
  }

  takeFailed(): number[] {
    return this.appends.takeFailed();
  }

  private intendedNs(i: number): number {
    return this.t0Ns + this.schedule.timeOf(i) * 1e9;
  }

  private readonly tick = (): void => {
    this.wakeup = undefined;
    if (this.stopped) return;
    const now = monotonicNowNs();
    const due = this.schedule.dueBy((now - this.t0Ns) / 1e9);
    while (this.next < due && this.inFlight < this.o.maxInFlight) {
      const n = Math.min(this.o.batchSize, due - this.next);
      const oldestWaitMs = (now - this.intendedNs(this.next)) / 1e6;
      if (n < this.o.batchSize && oldestWaitMs < this.o.lingerMs && due < this.schedule.totalEvents) break;
      this.send(n, now);
    }
    const behind = due - this.next;
    this.recorder.max("dueNotSent", behind);
    if (behind > 0 && this.inFlight >= this.o.maxInFlight) {
      this.recorder.count("inFlightLimited");
      return; // the next acknowledgement ticks again
    }
    if (this.next >= this.schedule.totalEvents) return;
    // Events held back by linger go when the batch fills or the oldest has waited lingerMs, whichever
    // comes first; otherwise sleep until the next event is due.
    const wakeNs =
      behind > 0
        ? Math.min(this.intendedNs(Math.min(this.next + this.o.batchSize, this.schedule.totalEvents) - 1), this.intendedNs(this.next) + this.o.lingerMs * 1e6)
        : this.intendedNs(this.next);
    this.wakeup = threadWakeClock.wakeAt(wakeNs, this.dueTick);
  };

  private readonly dueTick = (): void => {
    threadTurn.startTurn();
    this.tick();
  };

  private clearTimer(): void {
    this.wakeup?.cancel();
    this.wakeup = undefined;
  }

  private send(n: number, now: number): void {
    const batch: SourcedEvent[] = [];
    for (let k = 0; k < n; k++) batch.push(...this.source.arrival(this.intendedNs(this.next + k)));
    this.next += n;
    this.inFlight++;
    const sentNs = now;
    this.appends.sent(batch, sentNs);
    this.producer.append(batch.map((b) => b.event)).then(
      (result) => {
        if (this.appends.acked(batch, sentNs, result)) this.settled(() => this.source.settled?.(batch, result));
      },
      (error: unknown) => {
        if (this.appends.failedAppend(batch, error)) this.settled(() => this.source.settled?.(batch, null));
      },
    );
  }

  private settled(record: () => void): void {
    this.inFlight--;
    record();
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
