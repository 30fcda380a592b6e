import type { AppendResult } from "../../adapters/contract/adapter.js";
import type { IntervalRecorder } from "../measurement/interval-recorder.js";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import type { SourcedEvent } from "./event-source.js";

/**
 * What both producer loops do with the outcome of one append: latency from the intended time
 * (publish) and from the actual send (service time, as wrk2 keeps it beside), counters, and the
 * identities of events that were not acknowledged, for the verifier.
 */
export class AppendRecorder {
  /** Packed (producerId, keyIndex, seq) of events not acknowledged, drained by the host. */
  private failed: number[] = [];

  constructor(
    private readonly recorder: IntervalRecorder,
    private readonly producerId: number,
  ) {}

  sent(batch: readonly SourcedEvent[], sentNs: number): void {
    this.recorder.count("sent", batch.length);
    for (const e of batch) this.recorder.recordDelayNs("schedule", sentNs - e.intendedNs);
  }

  acked(batch: readonly SourcedEvent[], sentNs: number, result: AppendResult): void {
    const ackNs = monotonicNowNs();
    const conflicted = result.conflicts.length > 0 ? new Set(result.conflicts) : undefined;
    let acked = 0;
    for (const e of batch) {
      if (conflicted?.has(e.event.key)) {
        this.failed.push(this.producerId, e.keyIndex, e.seq);
        continue;
      }
      acked++;
      this.recorder.recordNs("publish", ackNs - e.intendedNs);
    }
    if (acked > 0) this.recorder.recordNs("service", ackNs - sentNs);
    this.recorder.count("acked", acked);
    if (conflicted) this.recorder.count("conflicts", batch.length - acked);
  }

  failedAppend(batch: readonly SourcedEvent[]): void {
    this.recorder.count("errors");
    this.recorder.count("failed", batch.length);
    for (const e of batch) this.failed.push(this.producerId, e.keyIndex, e.seq);
  }

  takeFailed(): number[] {
    const out = this.failed;
    this.failed = [];
    return out;
  }
}
