import type { AdapterCapabilities } from "../../adapters/contract/adapter.js";
import type { Histogram } from "../../harness/measurement/latency-histogram.js";
import type { TimeseriesPoint, WorkloadFigure, WorkloadCurve } from "../../harness/result/result-schema.js";
import type { WorkloadPlan } from "../../harness/scenario/run-plan.js";

/** What a finished entry measured, as a workload reads it to build its own figures and curves. */
export interface MeasuredEntry {
  /** A counter summed over warm-up, steady state and drain. */
  counter(name: string): number;
  /** A counter of the steady state only. */
  steadyCounter(name: string): number;
  /** Steady-state seconds measured. */
  readonly steadySeconds: number;
  /** The steady-state histogram (µs) of a metric, if anything was recorded; owned by the entry. */
  histogram(metric: string): Histogram | undefined;
  /** Names of the steady-state histograms that start with `prefix`. */
  histogramNames(prefix: string): string[];
  /** event-store: events of every aggregate read back after the drain; null if not checked. */
  readonly storedEvents: number | null;
  /** cqrs: sent events the read model does not show after the drain; null if not checked. */
  readonly notVisibleAtEnd: number | null;
  /** The per-second points, warm-up to drain. */
  readonly timeseries: readonly TimeseriesPoint[];
  /** Events received by all groups up to and including each point of `timeseries` (counts, not rates). */
  readonly consumedUpToPoint: readonly number[];
  /** Moments of the entry in seconds since t0: `producersStopped`, `consumersStarted`, `drained`. */
  readonly marks: Readonly<Record<string, number>>;
  /** Steady-state lag maxima per consumer group. */
  readonly lagByGroup: Readonly<Record<string, { readonly maxEvents: number | null; readonly maxMs: number | null }>>;
}

/** A workload as the harness sees it: what it is and what it needs from an adapter. */
export interface WorkloadDefinition {
  readonly name: WorkloadPlan["workload"];
  readonly description: string;
  /** Capabilities this plan needs; a run asking for one an adapter lacks is refused before it starts. */
  requires(plan: WorkloadPlan): (keyof AdapterCapabilities)[];
  /** When the consumers start: with the producers (default), or once producing stopped (a backlog). */
  readonly consumersStart?: "with-producers" | "after-producing";
  /**
   * The workload drives the rate past what the system holds on purpose (a capacity search): its
   * own verdicts judge each step, and an entry-wide "target not held" would only restate them.
   */
  readonly probesCapacity?: boolean;
  /** Asked after every steady-state second: true stops producing before the schedule ends. */
  stopProducing?(plan: WorkloadPlan, points: readonly TimeseriesPoint[]): boolean;
  /** The workload's own figures and curves for result.json (none for the plain pipeline). */
  results?(plan: WorkloadPlan, measured: MeasuredEntry): { figures: WorkloadFigure[]; curves: WorkloadCurve[] };
}
