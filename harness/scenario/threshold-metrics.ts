import { LATENCY_THRESHOLDS } from "../measurement/metric-catalog.js";
import type { Aggregation } from "./threshold.js";

type Kind = Aggregation["kind"];
const LATENCY: Kind[] = ["percentile", "avg", "min", "max", "med"];
const COUNT: Kind[] = ["count", "rate"];

/**
 * Metrics a threshold can name, and the aggregations each accepts. Latencies in ms; `rate` of a
 * delivery count is per acknowledged event, of `errors` per event sent, of `throughput` the share of
 * the target rate achieved.
 */
export const THRESHOLD_METRICS: Readonly<Record<string, readonly Kind[]>> = {
  ...Object.fromEntries(LATENCY_THRESHOLDS.map((metric) => [metric, LATENCY])),
  errors: COUNT,
  lost: COUNT,
  duplicated: COUNT,
  out_of_order: COUNT,
  consumer_lag_events: ["max", "avg", "value"],
  consumer_lag_ms: ["max", "avg", "value"],
  throughput: ["value", "rate"],
};
