/**
 * Messages between the run coordinator (main thread) and the role hosts (worker threads). Plain
 * data only: histograms travel encoded, deliveries as packed Uint32Arrays (transferred, not copied).
 */
import type { AdapterOptions, LagSample, StreamSpec } from "../../adapters/contract/adapter.js";
import type { IntervalSnapshot } from "../measurement/interval-recorder.js";
import type { RateStage } from "../load/arrival-schedule.js";

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

export interface ProducerSpec {
  readonly producerId: number;
  readonly load: OpenLoopSpec | ClosedLoopSpec;
  readonly keys: number;
  readonly payloadSize: number;
}

export interface MemberSpec {
  readonly group: string;
  readonly member: string;
  readonly maxBatch: number;
  readonly claimIdleAfterMs?: number;
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
}

export type HostCommand =
  | { readonly type: "connect" }
  | { readonly type: "setup" }
  | { readonly type: "start-consumers" }
  | { readonly type: "start-producers"; readonly t0Ns: number }
  | { readonly type: "flush" }
  | { readonly type: "stop-producers" }
  | { readonly type: "stop-consumers" }
  | { readonly type: "teardown" }
  | { readonly type: "close" };

export interface HostInterval {
  readonly snapshot: IntervalSnapshot;
  /** Per group, packed (producerId, keyIndex, seq) of every event received. */
  readonly deliveries: Record<string, Uint32Array>;
  /** Packed triples of events whose append failed or conflicted. */
  readonly failed: Uint32Array;
  /** Latest lag per group (admin host only). */
  readonly lag: Record<string, LagSample>;
  readonly eventLoop: { readonly p99Ms: number; readonly maxMs: number };
}

export interface ProducersStopped {
  readonly sentPerKey: { readonly producerId: number; readonly nextSeq: readonly number[] }[];
}

export interface HostInfo {
  readonly server: string;
  readonly client: string;
}

export type HostRequest = { readonly id: number; readonly command: HostCommand };
export type HostResponse =
  | { readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
