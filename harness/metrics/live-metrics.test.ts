import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newHistogram } from "../measurement/latency-histogram.js";
import type { TimeseriesPoint } from "../result/result-schema.js";
import { LiveMetrics } from "./live-metrics.js";

const point: TimeseriesPoint = {
  t: 1, phase: "steady", targetRate: 100, sent: 100, acked: 100, consumed: 100, errors: 0,
  publishP50: 1, publishP99: 2, publishMax: 3, e2eP50: 1, e2eP99: 2, e2eMax: 3, lagEvents: 0, lagMs: 0,
  scheduleDelayP99: 0.1, eventLoopDelayP99: 0.2,
};

/** A histogram of the given values in µs. */
function histogramOf(...valuesUs: number[]) {
  const h = newHistogram();
  for (const v of valuesUs) h.recordValue(v);
  return h;
}

const bucket = (text: string, kind: string, le: string) =>
  Number(new RegExp(`^eventbench_latency_seconds_bucket\\{[^}]*kind="${kind}",le="${le.replace("+", "\\+")}"\\} (\\d+)$`, "m").exec(text)?.[1]);

describe("live metrics", () => {
  it("fills eventbench_latency_seconds's cumulative buckets from the interval histograms, adding interval to interval", async () => {
    const metrics = new LiveMetrics("run-1");
    const first = histogramOf(30, 150, 150, 3_000, 2_000_000);
    const second = histogramOf(40, 70_000_000);
    metrics.update("redis-streams", "publish-consume", "steady", point, { publish: first });
    metrics.update("redis-streams", "publish-consume", "steady", { ...point, t: 2 }, { publish: second });
    first.destroy();
    second.destroy();
    const text = await metrics.registry.metrics();
    assert.match(text, /^# TYPE eventbench_latency_seconds histogram$/m);
    assert.equal(bucket(text, "publish", "0.00005"), 2); // 30 µs, 40 µs
    assert.equal(bucket(text, "publish", "0.0002"), 4); // + 150 µs twice
    assert.equal(bucket(text, "publish", "0.005"), 5); // + 3 ms
    assert.equal(bucket(text, "publish", "2"), 6); // + 2 s, at its bound
    assert.equal(bucket(text, "publish", "60"), 6); // 70 s is beyond the last bound
    assert.equal(bucket(text, "publish", "+Inf"), 7);
    assert.match(text, /^eventbench_latency_seconds_count\{[^}]*kind="publish"\} 7$/m);
    const sum = Number(/^eventbench_latency_seconds_sum\{[^}]*kind="publish"\} (\S+)$/m.exec(text)?.[1]);
    assert.ok(Math.abs(sum - 72.003_37) < 0.1, `sum ≈ 72.003 s (got ${sum})`);
  });

  it("exports the cqrs projection lag as eventbench_latency_seconds{kind=\"projection\"}, and nothing of it for other workloads", async () => {
    const metrics = new LiveMetrics("run-1");
    metrics.update("redis-streams", "publish-consume", "steady", point, { publish: histogramOf(100) });
    assert.doesNotMatch(await metrics.registry.metrics(), /kind="projection"/);
    const projection = histogramOf(12_000);
    metrics.update("redis-streams", "cqrs", "projection", { ...point, t: 2 }, { projection });
    projection.destroy();
    const text = await metrics.registry.metrics();
    assert.match(text, /^eventbench_latency_seconds_bucket\{[^}]*workload="cqrs"[^}]*kind="projection",le="0\.02"\} 1$/m);
    assert.match(text, /^eventbench_latency_seconds_bucket\{[^}]*workload="cqrs"[^}]*kind="projection",le="0\.01"\} 0$/m);
  });
});
