import assert from "node:assert/strict";
import { it } from "node:test";
import { runEntrySchema } from "../result/result-schema.js";
import { THRESHOLD_METRICS } from "../scenario/threshold-metrics.js";
import { LATENCY_METRICS, LATENCY_THRESHOLDS, latencyOfThreshold } from "./metric-catalog.js";

const entries = Object.entries(LATENCY_METRICS);

it("every latency's result.json key and timeseries fields exist in the result schema", () => {
  const latencyKeys = Object.keys(runEntrySchema.shape.latency.shape);
  const pointKeys = Object.keys(runEntrySchema.shape.timeseries.element.shape);
  for (const [id, m] of entries) {
    if (m.result !== null) assert.ok(latencyKeys.includes(m.result), `${id}: latency.${m.result} in result.json`);
    if (m.timeseries !== null) assert.ok(pointKeys.includes(`${m.timeseries}P99`), `${id}: timeseries ${m.timeseries}P99`);
  }
});

it("thresholds accept exactly the catalog's latency names, and each leads back to its latency", () => {
  const latencyThresholds = Object.keys(THRESHOLD_METRICS).filter((name) => latencyOfThreshold(name) !== undefined);
  assert.deepEqual(latencyThresholds, LATENCY_THRESHOLDS);
  assert.deepEqual(LATENCY_THRESHOLDS, ["publish_latency", "e2e_latency", "service_time"]);
  for (const t of LATENCY_THRESHOLDS) assert.equal(LATENCY_METRICS[latencyOfThreshold(t) as keyof typeof LATENCY_METRICS].threshold, t);
  assert.equal(latencyOfThreshold("errors"), undefined);
});

it("no two latencies share a name in any output", () => {
  for (const field of ["recorded", "threshold", "result", "timeseries", "prometheus"] as const) {
    const names = entries.map(([, m]) => m[field]).filter((n) => n !== null);
    assert.equal(new Set(names).size, names.length, `${field}: ${names.join(", ")}`);
  }
});
