import { percentileMs, type Histogram } from "../measurement/latency-histogram.js";
import { latencyOfThreshold, type LatencyMetricId } from "../measurement/metric-catalog.js";
import type { ThresholdSpec } from "../scenario/run-plan.js";
import { aggregationName, compare, type Aggregation } from "../scenario/threshold.js";
import type { RunEntryResult } from "./result-schema.js";

type Verdict = RunEntryResult["thresholds"][number];

/** What a threshold is evaluated against: the finished entry and its steady-state histograms. */
export interface ThresholdInputs {
  readonly entry: Omit<RunEntryResult, "thresholds" | "status">;
  readonly histogram: (latency: LatencyMetricId) => Histogram | undefined;
}

function latencyValue(h: Histogram | undefined, a: Aggregation): number | null {
  if (!h || h.totalCount === 0) return null;
  switch (a.kind) {
    case "percentile":
      return percentileMs(h, a.percentile);
    case "med":
      return percentileMs(h, 50);
    case "avg":
      return Math.round(h.mean) / 1000;
    case "min":
      return Math.round(h.minNonZeroValue) / 1000;
    case "max":
      return Math.round(h.maxValue) / 1000;
    default:
      return null;
  }
}

const average = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function valueOf(metric: string, a: Aggregation, input: ThresholdInputs): number | null {
  const { entry } = input;
  const d = entry.delivery;
  const latency = latencyOfThreshold(metric);
  if (latency) return latencyValue(input.histogram(latency), a);
  switch (metric) {
    case "errors":
      // A conflict (stale expected version) is an outcome the event store is asked to produce, not an error.
      return a.kind === "count" ? d.errors : d.sent ? (d.sent - d.acked - d.conflicts) / d.sent : 0;
    case "lost":
    case "duplicated":
    case "out_of_order": {
      const count = metric === "lost" ? d.lost : metric === "duplicated" ? d.duplicated : d.outOfOrder;
      return a.kind === "count" ? count : d.acked ? count / d.acked : 0;
    }
    case "consumer_lag_events":
    case "consumer_lag_ms": {
      const events = metric === "consumer_lag_events";
      if (a.kind === "max") return events ? entry.consumerLag.maxEvents : entry.consumerLag.maxMs;
      if (a.kind === "avg") {
        const samples = entry.timeseries.map((p) => (events ? p.lagEvents : p.lagMs)).filter((v): v is number => v !== null);
        return average(samples);
      }
      const last = [...Object.values(entry.consumerLag.byGroup)];
      return last.length ? Math.max(...last.map((s) => (events ? s.lastEvents : s.lastMs) ?? 0)) : null;
    }
    case "throughput":
      return a.kind === "value" ? entry.throughput.acked : entry.throughput.target ? entry.throughput.acked / entry.throughput.target : null;
    default:
      return null;
  }
}

/** A threshold with no data (e.g. e2e latency with no consumer) fails: it cannot be shown to hold. */
export function evaluateThresholds(specs: readonly ThresholdSpec[], input: ThresholdInputs): Verdict[] {
  return specs.map(({ metric, expression }) => {
    const raw = valueOf(metric, expression.aggregation, input);
    const value = raw === null ? null : Math.round(raw * 1e6) / 1e6;
    return {
      metric,
      expression: `${aggregationName(expression.aggregation)}${expression.comparator}${expression.bound}`,
      value,
      passed: value !== null && compare(value, expression.comparator, expression.bound),
    };
  });
}
