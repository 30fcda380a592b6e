import type { IntervalRecorder } from "../../../harness/measurement/interval-recorder.js";
import type { LatestCommandBoard } from "./latest-command-board.js";
import { monotonicNowNs } from "../../../harness/measurement/monotonic-clock.js";
import type { ReadModel } from "./read-model/read-model.js";
import type { ArrivalSchedule } from "../../../harness/load/arrival-schedule.js";
import { OpenLoopScheduler } from "../../../harness/load/open-loop-scheduler.js";
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
  /** Queries not finished, with their wait for a missed command to become visible. */
  private readonly pending = new Set<Promise<void>>();
  private readonly loop: OpenLoopScheduler;

  constructor(
    schedule: ArrivalSchedule,
    private readonly readModel: ReadModel,
    private readonly latest: LatestCommandBoard,
    private readonly waiters: VisibilityWaiters,
    private readonly recorder: IntervalRecorder,
    private readonly o: QueryLoadOptions,
  ) {
    this.loop = new OpenLoopScheduler(
      schedule,
      (i, _count, _nowNs, done) => {
        const p = this.query(i, this.loop.intendedNs(i), done);
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
      },
      { maxInFlight: o.maxInFlight },
    );
  }

  start(t0Ns: number): void {
    this.loop.start(t0Ns);
  }

  /** Stops scheduling; resolves when queries and re-reads in flight are done. */
  async stop(): Promise<void> {
    await this.loop.stop();
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** `done` frees the query's in-flight slot once the read model answered; a miss's wait holds none. */
  private async query(i: number, intendedNs: number, done: () => void): Promise<void> {
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
      done();
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
