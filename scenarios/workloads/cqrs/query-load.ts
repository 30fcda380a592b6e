import type { IntervalRecorder } from "../../../harness/measurement/interval-recorder.js";
import type { LatestCommandBoard } from "./latest-command-board.js";
import { monotonicNowNs } from "../../../harness/measurement/monotonic-clock.js";
import type { ReadModel } from "./read-model/read-model.js";
import type { ArrivalSchedule } from "../../../harness/load/arrival-schedule.js";
import type { VisibilityWaiters } from "./visibility-waiters.js";

export interface QueryLoadOptions {
  /** Queries in flight at most; a due query beyond it waits, and its wait counts as latency. */
  readonly maxInFlight: number;
  /** How long a missed command is waited for before it counts as never seen. */
  readonly waitForMs: number;
  /** Aggregate of a query made before any command was acknowledged. */
  readonly chooseKey: () => number;
}

/**
 * Queries the read model at its own open-loop rate. Query i reads the aggregate of the latest
 * command producer (i mod producers) had acknowledged, as a user reads back what they just did:
 * query latency is intended time → answer; a query that does not show that command yet is a
 * read-your-writes miss, and the time from the missing answer until the projector made the
 * command visible is its staleness (told by the projector, not found by re-reading).
 */
export class QueryLoad {
  private next = 0;
  private inFlight = 0;
  private t0Ns = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly schedule: ArrivalSchedule,
    private readonly readModel: ReadModel,
    private readonly latest: LatestCommandBoard,
    private readonly waiters: VisibilityWaiters,
    private readonly recorder: IntervalRecorder,
    private readonly o: QueryLoadOptions,
  ) {}

  start(t0Ns: number): void {
    this.t0Ns = t0Ns;
    this.tick();
  }

  /** Stops scheduling; resolves when queries and re-reads in flight are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private intendedNs(i: number): number {
    return this.t0Ns + this.schedule.timeOf(i) * 1e9;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    const due = this.schedule.dueBy((monotonicNowNs() - this.t0Ns) / 1e9);
    while (this.next < due && this.inFlight < this.o.maxInFlight) {
      const i = this.next++;
      const p = this.query(i, this.intendedNs(i));
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }
    if (this.next >= this.schedule.totalEvents || (this.next < due && this.inFlight >= this.o.maxInFlight)) return;
    this.timer = setTimeout(this.tick, Math.max(0, (this.intendedNs(this.next) - monotonicNowNs()) / 1e6));
  };

  private async query(i: number, intendedNs: number): Promise<void> {
    this.inFlight++;
    const producerId = i % this.latest.producers;
    const command = this.latest.latest(producerId);
    const keyIndex = command ? command.keyIndex : this.o.chooseKey();
    let shown = 0;
    let answeredNs = 0;
    try {
      shown = await this.readModel.visible(producerId, keyIndex);
      answeredNs = monotonicNowNs();
      this.recorder.recordNs("query", answeredNs - intendedNs);
      this.recorder.count("queries");
    } catch {
      this.recorder.count("queryErrors");
      return;
    } finally {
      this.inFlight--;
      if (!this.stopped && this.timer === undefined) this.tick();
    }
    if (!command) return;
    this.recorder.count("rywQueries");
    if (shown > command.seq) return;
    this.recorder.count("rywMisses");
    const visibleNs = await this.waiters.whenVisible(producerId, command.keyIndex, command.seq, this.o.waitForMs);
    if (visibleNs === null) this.recorder.count("rywNeverSeen");
    else this.recorder.recordDelayNs("staleness", visibleNs - answeredNs);
  }
}
