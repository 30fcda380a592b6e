import type { AppendResult } from "../../../adapters/contract/adapter.js";
import type { LatestCommandBoard } from "./latest-command-board.js";
import { monotonicNowNs } from "../../../harness/measurement/monotonic-clock.js";
import type { ProjectionLagBoard } from "./projection-lag-board.js";
import type { AppendSource, EventSource, SourcedEvent } from "../../../harness/load/event-source.js";

/**
 * CQRS commands: each arrival is one command that becomes one event. When the broker acknowledges
 * it, the time goes on the projection-lag board (the projector's thread completes the sample when
 * the read model shows the event) and the command becomes the latest one the query load reads back.
 */
export class ProjectedCommandSource implements AppendSource {
  constructor(
    private readonly events: EventSource,
    private readonly lag: ProjectionLagBoard,
    private readonly latest: LatestCommandBoard,
  ) {}

  get producerId(): number {
    return this.events.producerId;
  }

  sentPerKey(): readonly number[] {
    return this.events.sentPerKey();
  }

  arrival(intendedNs: number): SourcedEvent[] {
    return this.events.arrival(intendedNs);
  }

  settled(events: readonly SourcedEvent[], result: AppendResult | null): void {
    if (!result) return;
    const ackNs = monotonicNowNs();
    const conflicted = new Set(result.conflicts);
    for (const e of events) {
      if (conflicted.has(e.event.key)) continue;
      this.lag.acked(this.producerId, e.keyIndex, e.seq, ackNs);
      this.latest.record(this.producerId, e.keyIndex, e.seq);
    }
  }
}
