import type { EventProducer } from "../../adapters/contract/adapter.js";
import type { IntervalRecorder } from "../measurement/interval-recorder.js";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import { AppendRecorder, noAnswerWithin } from "./append-recorder.js";
import type { AppendSource, SourcedEvent } from "./event-source.js";
import { threadTurn } from "./turn-budget.js";

/**
 * Closed loop (k6 constant-vus): `vus` loops each send a batch, wait for its acknowledgement, send
 * the next. Finds the throughput a fixed concurrency reaches; its latency is service time only
 * (a stall delays the next send instead of showing up), which is why results label it closed-loop.
 */
export class ClosedLoopProducer {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly appends: AppendRecorder;

  constructor(
    private readonly source: AppendSource,
    private readonly producer: EventProducer,
    private readonly recorder: IntervalRecorder,
    private readonly o: { readonly vus: number; readonly batchSize: number; readonly durationS: number },
  ) {
    this.appends = new AppendRecorder(recorder, source.producerId);
  }

  start(t0Ns: number): void {
    this.running = true;
    const endNs = t0Ns + this.o.durationS * 1e9;
    this.loops = Array.from({ length: this.o.vus }, () => this.loop(endNs));
  }

  /** Stops the loops; appends still unanswered after `giveUpAfterMs` are counted as failed. */
  async stop(giveUpAfterMs: number): Promise<void> {
    this.running = false;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        for (const batch of this.appends.giveUp(noAnswerWithin(giveUpAfterMs))) this.source.settled?.(batch, null);
        resolve();
      }, giveUpAfterMs);
    });
    await Promise.race([Promise.all(this.loops), gaveUp]);
    clearTimeout(timer);
  }

  get finished(): boolean {
    return !this.running;
  }

  takeFailed(): number[] {
    return this.appends.takeFailed();
  }

  private async loop(endNs: number): Promise<void> {
    while (this.running) {
      const now = monotonicNowNs();
      if (now >= endNs) break;
      const batch: SourcedEvent[] = [];
      for (let k = 0; k < this.o.batchSize; k++) batch.push(...this.source.arrival(now));
      this.appends.sent(batch, now);
      try {
        const result = await this.producer.append(batch.map((b) => b.event));
        if (!this.appends.acked(batch, now, result)) return; // given up on when the producer stopped
        this.source.settled?.(batch, result);
        if (threadTurn.spent) await threadTurn.nextTurn();
      } catch (error) {
        if (!this.appends.failedAppend(batch, error)) return;
        this.source.settled?.(batch, null);
        await new Promise((r) => setTimeout(r, 10)); // an erroring system must not become a busy loop
      }
    }
    this.running = false;
  }
}
