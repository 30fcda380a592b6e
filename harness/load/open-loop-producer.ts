import type { EventProducer } from "../../adapters/contract/adapter.js";
import type { IntervalRecorder } from "../measurement/interval-recorder.js";
import { AppendRecorder, noAnswerWithin } from "./append-recorder.js";
import type { ArrivalSchedule } from "./arrival-schedule.js";
import type { AppendSource, SourcedEvent } from "./event-source.js";
import { OpenLoopScheduler, type OpenLoopCall } from "./open-loop-scheduler.js";

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
  private readonly appends: AppendRecorder;
  private readonly loop: OpenLoopScheduler;

  constructor(
    schedule: ArrivalSchedule,
    private readonly source: AppendSource,
    private readonly producer: EventProducer,
    recorder: IntervalRecorder,
    o: OpenLoopOptions,
  ) {
    this.appends = new AppendRecorder(recorder, source.producerId);
    this.loop = new OpenLoopScheduler(schedule, this.send, {
      ...o,
      onBehind: (behind, inFlightLimited) => {
        recorder.max("dueNotSent", behind);
        if (inFlightLimited) recorder.count("inFlightLimited");
      },
    });
  }

  start(t0Ns: number): void {
    this.loop.start(t0Ns);
  }

  /**
   * Stops scheduling; resolves when every append in flight has returned, or after `giveUpAfterMs`,
   * when the ones still unanswered are counted as failed (a paused or killed server never answers).
   */
  async stop(giveUpAfterMs: number): Promise<void> {
    if (await this.loop.stop(giveUpAfterMs)) return;
    for (const batch of this.appends.giveUp(noAnswerWithin(giveUpAfterMs))) this.source.settled?.(batch, null);
  }

  get finished(): boolean {
    return this.loop.finished;
  }

  takeFailed(): number[] {
    return this.appends.takeFailed();
  }

  private readonly send: OpenLoopCall = (first, n, sentNs, done) => {
    const batch: SourcedEvent[] = [];
    for (let k = 0; k < n; k++) batch.push(...this.source.arrival(this.loop.intendedNs(first + k)));
    this.appends.sent(batch, sentNs);
    this.producer.append(batch.map((b) => b.event)).then(
      (result) => {
        if (!this.appends.acked(batch, sentNs, result)) return;
        this.source.settled?.(batch, result);
        done();
      },
      (error: unknown) => {
        if (!this.appends.failedAppend(batch, error)) return;
        this.source.settled?.(batch, null);
        done();
      },
    );
  };
}
