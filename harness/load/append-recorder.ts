import type { AppendResult } from "../../adapters/contract/adapter.js";
import type { IntervalRecorder } from "../measurement/interval-recorder.js";
import { LATENCY_METRICS } from "../measurement/metric-catalog.js";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import type { SourcedEvent } from "./event-source.js";

/**
 * What both producer loops do with the outcome of one append: latency from the intended time
 * (publish) and from the actual send (service time, as wrk2 keeps it beside), counters, the reason
 * of each failure, and the identities of events that were not acknowledged, for the verifier.
 * It also holds the appends still in flight, so a producer that stops can give up on the ones a
 * system will never answer (paused, killed) and count them as failed.
 */
export class AppendRecorder {
  /** Packed (producerId, keyIndex, seq) of events not acknowledged, drained by the host. */
  private failed: number[] = [];
  private readonly inFlight = new Set<readonly SourcedEvent[]>();

  constructor(
    private readonly recorder: IntervalRecorder,
    private readonly producerId: number,
  ) {}

  sent(batch: readonly SourcedEvent[], sentNs: number): void {
    this.inFlight.add(batch);
    this.recorder.count("sent", batch.length);
    for (const e of batch) this.recorder.recordDelayNs(LATENCY_METRICS.scheduleDelay.recorded, sentNs - e.intendedNs);
  }

  /** False when the append had been given up on: its late answer is not counted twice. */
  acked(batch: readonly SourcedEvent[], sentNs: number, result: AppendResult): boolean {
    if (!this.inFlight.delete(batch)) return false;
    const ackNs = monotonicNowNs();
    const conflicted = result.conflicts.length > 0 ? new Set(result.conflicts) : undefined;
    let acked = 0;
    for (const e of batch) {
      if (conflicted?.has(e.event.key)) {
        this.failed.push(this.producerId, e.keyIndex, e.seq);
        continue;
      }
      acked++;
      this.recorder.recordNs(LATENCY_METRICS.publish.recorded, ackNs - e.intendedNs);
    }
    if (acked > 0) this.recorder.recordNs(LATENCY_METRICS.service.recorded, ackNs - sentNs);
    this.recorder.count("acked", acked);
    if (conflicted) this.recorder.count("conflicts", batch.length - acked);
    return true;
  }

  /** False when the append had been given up on already. */
  failedAppend(batch: readonly SourcedEvent[], error: unknown): boolean {
    if (!this.inFlight.delete(batch)) return false;
    this.recorder.error(error instanceof Error ? error.message : String(error));
    this.recorder.count("failed", batch.length);
    for (const e of batch) this.failed.push(this.producerId, e.keyIndex, e.seq);
    return true;
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** Counts every append still in flight as failed with `reason`; returns their batches. */
  giveUp(reason: string): (readonly SourcedEvent[])[] {
    const batches = [...this.inFlight];
    for (const batch of batches) this.failedAppend(batch, reason);
    return batches;
  }

  takeFailed(): number[] {
    const out = this.failed;
    this.failed = [];
    return out;
  }
}

/** The failure an append given up on is counted with. */
export const noAnswerWithin = (ms: number) => `no answer within ${ms / 1000} s (given up when producing stopped)`;
