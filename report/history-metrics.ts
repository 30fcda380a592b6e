import type { RunEntryResult } from "../harness/result/result-schema.js";

/**
 * The figures `eventbench history` can plot across runs, each named by its path in a run entry of
 * result.json (`latency.endToEnd.p99` is `runs[i].latency.endToEnd.p99`): the contract's own names,
 * so a figure on the history page is the one in the file.
 */
export interface HistoryMetric {
  readonly name: string;
  readonly unit: string;
  /** What the figure is, for the chart's title. */
  readonly description: string;
  readonly value: (e: RunEntryResult) => number | null;
}

const LATENCY_FIGURES = ["p50", "p90", "p99", "p999", "max", "mean"] as const;

function latencyMetrics(key: "publish" | "endToEnd", what: string): HistoryMetric[] {
  return LATENCY_FIGURES.map((figure) => ({
    name: `latency.${key}.${figure}`,
    unit: "ms",
    description: `${what} latency ${figure}, steady state`,
    // With nothing measured every figure of the summary is 0: no value, not a fast one.
    value: (e) => (e.latency[key].count === 0 ? null : e.latency[key][figure]),
  }));
}

const countMetric = (field: "lost" | "duplicated" | "outOfOrder" | "errors" | "redelivered" | "conflicts", description: string): HistoryMetric => ({
  name: `delivery.${field}`,
  unit: "events",
  description,
  value: (e) => e.delivery[field],
});

export const HISTORY_METRICS: readonly HistoryMetric[] = [
  ...latencyMetrics("endToEnd", "end-to-end"),
  ...latencyMetrics("publish", "publish"),
  { name: "throughput.acked", unit: "events/s", description: "acknowledged rate, steady state", value: (e) => e.throughput.acked },
  { name: "throughput.consumed", unit: "events/s", description: "consumed rate, steady state", value: (e) => e.throughput.consumed },
  { name: "throughput.target", unit: "events/s", description: "target rate scheduled over the steady state", value: (e) => (e.throughput.target > 0 ? e.throughput.target : null) },
  { name: "targetHeld.share", unit: "share of the target", description: "acknowledged ÷ target rate", value: (e) => e.targetHeld?.share ?? null },
  countMetric("lost", "events acknowledged and never consumed"),
  countMetric("duplicated", "receipts of an event already received"),
  countMetric("outOfOrder", "receipts after a later event of the same key"),
  countMetric("errors", "failed appends"),
  countMetric("redelivered", "events the system delivered again"),
  countMetric("conflicts", "appends refused on a stale expected version"),
  { name: "consumerLag.maxEvents", unit: "events", description: "largest consumer lag", value: (e) => e.consumerLag.maxEvents },
  { name: "consumerLag.maxMs", unit: "ms", description: "largest consumer lag, age of the oldest unconsumed event", value: (e) => e.consumerLag.maxMs },
];

export const DEFAULT_HISTORY_METRICS = ["latency.endToEnd.p99", "throughput.acked"] as const;

/** The metric of that name; undefined for a name the history does not plot. */
export function historyMetric(name: string): HistoryMetric | undefined {
  return HISTORY_METRICS.find((m) => m.name === name);
}
