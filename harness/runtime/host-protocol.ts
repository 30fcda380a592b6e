/**
 * Messages between the run coordinator (main thread) and the role hosts (worker threads). Plain
 * data only: histograms travel encoded, deliveries as packed typed arrays.
 */
import type { AdapterOptions, LagSample, StreamSpec } from "../../adapters/contract/adapter.js";
import type { IntervalSnapshot } from "../measurement/interval-recorder.js";
import type { Receipts } from "../load/group-member.js";
import type { RateStage } from "../load/arrival-schedule.js";
import type { KeyDistribution } from "../load/key-distribution.js";
import type { ProjectionLagBuffers } from "../../scenarios/workloads/cqrs/projection-lag-board.js";
import type { ReadModelSpec } from "../../scenarios/workloads/cqrs/read-model/read-model.js";

export interface OpenLoopSpec {
  readonly kind: "open";
  readonly stages: readonly RateStage[];
  readonly batchSize: number;
  readonly lingerMs: number;
  readonly maxInFlight: number;
}

export interface ClosedLoopSpec {
  readonly kind: "closed";
  readonly vus: number;
  readonly batchSize: number;
  readonly durationS: number;
}

/** event-store: each arrival is a command appended with an expected version. */
export interface CommandSpec {
  readonly eventsPerCommand: { readonly min: number; readonly max: number };
  readonly staleness: number;
  /** Re-read an aggregate's version after a conflict another producer caused. */
  readonly reloadOnConflict: boolean;
}

export interface ProducerSpec {
  readonly producerId: number;
  readonly load: OpenLoopSpec | ClosedLoopSpec;
  readonly keys: number;
  readonly keyDistribution: KeyDistribution;
  readonly payloadSize: number;
  /** event-store commands; absent: plain events. */
  readonly commands?: CommandSpec;
  /** cqrs: acknowledgements go on the projection-lag and latest-command boards. */
  readonly projected?: boolean;
}

export interface RehydratorSpec {
  readonly keys: number;
  readonly keyDistribution: KeyDistribution;
  readonly intervalS: number;
  readonly snapshotEvery: number;
  readonly durationS: number;
}

/** Shared memory of a cqrs entry, the same buffers in every host. */
export interface CqrsBoards {
  readonly lag: ProjectionLagBuffers;
  readonly latestCommands: SharedArrayBuffer;
}

/** The cqrs read side: the read model and the query load, on the host of the projecting members. */
export interface ReadSideSpec {
  readonly readModel: ReadModelSpec;
  readonly queryStages: readonly RateStage[];
  readonly keys: number;
  readonly keyDistribution: KeyDistribution;
}

export interface MemberSpec {
  readonly group: string;
  readonly member: string;
  readonly maxBatch: number;
  readonly claimIdleAfterMs?: number;
  /** cqrs: this member projects into the host's read model. */
  readonly projects?: boolean;
}

export interface HostSpec {
  readonly name: string;
  readonly adapter: string;
  readonly adapterOptions: AdapterOptions;
  readonly stream: StreamSpec;
  readonly groups: readonly string[];
  /** The admin host sets the stream up, samples lag and tears down. */
  readonly admin: boolean;
  readonly runTag: number;
  readonly producers: readonly ProducerSpec[];
  readonly members: readonly MemberSpec[];
  readonly rehydrator?: RehydratorSpec;
  readonly cqrsBoards?: CqrsBoards;
  readonly readSide?: ReadSideSpec;
}

export type HostCommand =
  | { readonly type: "connect" }
  | { readonly type: "setup" }
  | { readonly type: "start-consumers" }
  | { readonly type: "start-producers"; readonly t0Ns: number }
  | { readonly type: "flush" }
  /**
   * finishScheduleWithinMs: first let each producer send what its schedule still holds (up to that
   * long), for a workload whose produced count is its measure (backlog-drain's backlog).
   * giveUpAfterMs: appends still unanswered then are counted as failed (a server that stopped answering).
   */
  | { readonly type: "stop-producers"; readonly giveUpAfterMs: number; readonly finishScheduleWithinMs?: number }
  | { readonly type: "stop-consumers" }
  | { readonly type: "check-end"; readonly sentPerKey: ProducersStopped["sentPerKey"] }
  /** Each producer's next seq per key so far: a fault's window starts here. */
  | { readonly type: "sent-so-far" }
  /** Fault: the member dies abruptly; after `replaceAfterMs` a new member joins under `replacement`. */
  | { readonly type: "kill-member"; readonly group: string; readonly member: string; readonly replacement: string; readonly replaceAfterMs: number }
  /** Note when these counters next grow after `afterNs` (reported in the intervals' `firsts`). */
  | { readonly type: "watch-first"; readonly counters: readonly string[]; readonly afterNs: number }
  | { readonly type: "teardown" }
  | { readonly type: "close" };

export interface HostInterval {
  readonly snapshot: IntervalSnapshot;
  /** Per group, every event received, with when. */
  readonly deliveries: Record<string, Receipts>;
  /** When the deliveries were taken (monotonic ns): receipts of other threads after it may still be on their way. */
  readonly takenAtNs: number;
  /** Packed triples of events whose append failed or conflicted. */
  readonly failed: Uint32Array;
  /** Latest lag per group (admin host only). */
  readonly lag: Record<string, LagSample>;
  readonly eventLoop: { readonly p99Ms: number; readonly maxMs: number };
}

export interface ProducersStopped {
  readonly sentPerKey: { readonly producerId: number; readonly nextSeq: readonly number[] }[];
}

/** What a host could verify once everything was drained; null where it has nothing to check. */
export interface EndCheck {
  /** event-store: events of every aggregate read back whole. */
  readonly storedEvents: number | null;
  /** cqrs: events sent whose aggregate's read-model row does not show them. */
  readonly notVisible: number | null;
}

export interface HostInfo {
  readonly server: string;
  readonly client: string;
}

export type HostRequest = { readonly id: number; readonly command: HostCommand };
export type HostResponse =
  | { readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
