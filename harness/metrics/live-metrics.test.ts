import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TimeseriesPoint } from "../result/result-schema.js";
import { LiveMetrics } from "./live-metrics.js";

const point: TimeseriesPoint = {
  t: 1, phase: "steady", targetRate: 100, sent: 100, acked: 100, consumed: 100, errors: 0,
  publishP50: 1, publishP99: 2, publishMax: 3, e2eP50: 1, e2eP99: 2, e2eMax: 3, lagEvents: 0, lagMs: 0,
  scheduleDelayP99: 0.1, eventLoopDelayP99: 0.2,
};

describe("live metrics", () => {
  it("exports the cqrs projection lag as eventbench_latency_seconds{kind=\"projection\"}, and nothing of it for other workloads", async () => {
    const metrics = new LiveMetrics("run-1");
    metrics.update("redis-streams", "publish-consume", "steady", point);
    assert.doesNotMatch(await metrics.registry.metrics(), /kind="projection"/);
    metrics.update("redis-streams", "cqrs", "projection", { ...point, t: 2, projectionLagP50: 4, projectionLagP99: 12, projectionLagMax: 20 });
    const text = await metrics.registry.metrics();
    assert.match(text, /eventbench_latency_seconds\{[^}]*workload="cqrs"[^}]*kind="projection",quantile="0\.99"\} 0\.012/);
  });
});
