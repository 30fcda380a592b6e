import type { StreamAdapter, StreamSpec } from "../../../adapters/contract/adapter.js";
import { decodeEnvelope } from "../../../harness/measurement/event-envelope.js";
import type { IntervalRecorder } from "../../../harness/measurement/interval-recorder.js";
import { monotonicNowNs } from "../../../harness/measurement/monotonic-clock.js";
import { constantRate } from "../../../harness/load/arrival-schedule.js";
import { OpenLoopScheduler } from "../../../harness/load/open-loop-scheduler.js";
import { keyName } from "../../../harness/load/event-source.js";

export interface RehydratorOptions {
  readonly chooseKey: () => number;
  /** Seconds between rehydrations (open loop: each is due at its time, whether or not the last finished). */
  readonly intervalS: number;
  /** Snapshot an aggregate every this many events; 0: fold from the first event every time. */
  readonly snapshotEvery: number;
  /** Rehydrations stop after this many seconds (warm-up + measured duration). */
  readonly durationS: number;
  readonly runTag: number;
  /** Reads in flight at most; a due read beyond it waits, and its wait counts as latency. */
  readonly maxInFlight: number;
}

/** The folded state of an aggregate: what an application would rebuild from its events. */
interface AggregateState {
  version: number;
  /** Events of this run folded in (foreign payloads are skipped, not folded). */
  events: number;
  /** Order-sensitive digest of (producer, seq): folding is real work over every event's content. */
  digest: number;
}

/** Aggregates read at once by the end-of-run check. */
const END_CHECK_READS_IN_FLIGHT = 32;

/** Lowest aggregate length of the bucket `length` falls in: 0, 1, 2, 4, 8 … (powers of two). */
export function lengthBucket(length: number): number {
  return length <= 0 ? 0 : 2 ** Math.floor(Math.log2(length));
}

/**
 * Periodic rehydration: reads one aggregate's events back through the adapter (`readAggregate`)
 * and folds them into its state, as a command handler does before deciding. Latency runs from the
 * intended time to the folded state, recorded overall (`rehydrate`) and per aggregate-length bucket
 * (`rehydrate:<bucket>`). Snapshots are kept here, in the harness, per aggregate: while folding,
 * the state at every version that is a multiple of `snapshotEvery` is kept, and the next
 * rehydration of that aggregate reads and folds only the events after the latest one
 * (`readAggregate` with `afterVersion`): at most the events appended since the last rehydration
 * plus `snapshotEvery`. Keeping a snapshot costs nothing here; a real store pays a write for it,
 * so the figures show what snapshots save on reading and folding, not what storing them costs.
 */
export class AggregateRehydrator {
  private readonly snapshots = new Map<number, AggregateState>();
  private readonly loop: OpenLoopScheduler;

  constructor(
    private readonly adapter: StreamAdapter,
    private readonly stream: StreamSpec,
    private readonly recorder: IntervalRecorder,
    private readonly o: RehydratorOptions,
  ) {
    // One every intervalS, as many as fit in durationS.
    const schedule = constantRate(1 / o.intervalS, o.durationS);
    this.loop = new OpenLoopScheduler(schedule, (first, _count, _nowNs, done) => void this.rehydrate(this.loop.intendedNs(first), done), { maxInFlight: o.maxInFlight });
  }

  // The first rehydration is due one interval in: at t0 nothing has been appended yet.
  start(t0Ns: number): void {
    this.loop.start(t0Ns + this.o.intervalS * 1e9);
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Total events of `keys` aggregates, read back whole: what the store holds. */
  async totalEvents(keys: number): Promise<number> {
    let total = 0;
    for (let from = 0; from < keys; from += END_CHECK_READS_IN_FLIGHT) {
      const chunk = Array.from({ length: Math.min(END_CHECK_READS_IN_FLIGHT, keys - from) }, (_, i) => this.read(from + i, 0, false));
      for (const state of await Promise.all(chunk)) total += state.version;
    }
    return total;
  }

  private async rehydrate(intendedNs: number, done: () => void): Promise<void> {
    const keyIndex = this.o.chooseKey();
    try {
      const state = await this.read(keyIndex, this.o.snapshotEvery);
      const ns = monotonicNowNs() - intendedNs;
      this.recorder.recordNs("rehydrate", ns);
      this.recorder.recordNs(`rehydrate:${lengthBucket(state.version)}`, ns);
      this.recorder.count("rehydrations");
    } catch {
      this.recorder.count("rehydrateErrors");
    } finally {
      done();
    }
  }

  /** `counted`: false for the end-of-run check, which must not change the rehydration figures. */
  private async read(keyIndex: number, snapshotEvery: number, counted = true): Promise<AggregateState> {
    if (!this.adapter.readAggregate) throw new Error(`adapter ${this.adapter.name} cannot read aggregates back`);
    const snapshot = snapshotEvery > 0 ? this.snapshots.get(keyIndex) : undefined;
    const read = await this.adapter.readAggregate(this.stream, keyName(keyIndex), snapshot?.version ?? 0);
    const state: AggregateState = snapshot ? { ...snapshot } : { version: 0, events: 0, digest: 0 };
    if (state.version + read.events.length !== read.version) this.recorder.count("rehydrateLengthMismatches");
    if (!counted) return { ...state, version: read.version };
    for (const payload of read.events) {
      state.version++;
      const env = decodeEnvelope(payload);
      if (env && env.runTag === this.o.runTag) {
        state.events++;
        state.digest = (Math.imul(state.digest, 31) + env.producerId * 65_537 + env.seq) | 0;
      }
      // Snapshots at versions S, 2S, 3S …: the next read starts after the last one folded through.
      if (snapshotEvery > 0 && state.version % snapshotEvery === 0) this.snapshots.set(keyIndex, { ...state });
    }
    state.version = read.version;
    this.recorder.count("eventsFolded", read.events.length);
    if (snapshot) this.recorder.count("snapshotReads");
    return state;
  }
}
