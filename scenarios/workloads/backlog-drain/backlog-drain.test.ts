import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TimeseriesPoint } from "../../../harness/result/result-schema.js";
import type { WorkloadPlan } from "../../../harness/scenario/run-plan.js";
import { backlogDrain } from "./backlog-drain.js";
import type { MeasuredEntry } from "../workload.js";

/** A point as the aggregator writes it: `consumed` is a rate over the interval that ends at t. */
function point(t: number, phase: TimeseriesPoint["phase"], consumedPerSecond: number): TimeseriesPoint {
  return {
    t, phase, targetRate: 0, sent: 0, acked: 0, consumed: consumedPerSecond, errors: 0,
    publishP50: null, publishP99: null, publishMax: null, e2eP50: null, e2eP99: null, e2eMax: null,
    lagEvents: null, lagMs: null, scheduleDelayP99: null, eventLoopDelayP99: 0,
  };
}

describe("backlog-drain results", () => {
  it("the catch-up curve counts events, not the points' rates: 0.05 s points of 2000 events each are 40000/s", () => {
    // 6000 acknowledged with consumers stopped (t 0..1), consumers start at 1.0, then three 0.05 s catch-up points.
    const timeseries = [point(0.9, "steady", 0), point(1.05, "drain", 40_000), point(1.1, "drain", 40_000), point(1.15, "drain", 40_000)];
    const measured = {
      counter: (name: string) => (name === "acked" ? 6000 : 0),
      timeseries,
      consumedUpToPoint: [0, 2000, 4000, 6000],
      marks: { consumersStarted: 1, drained: 1.15 },
    } as unknown as MeasuredEntry;
    const { figures, curves } = backlogDrain.results?.({ consumerGroups: 1 } as WorkloadPlan, measured) ?? { figures: [], curves: [] };
    assert.deepEqual(curves[0]?.series[0]?.points, [[0, 6000], [0.05, 4000], [0.1, 2000], [0.15, 0]]);
    const value = (name: string) => figures.find((f) => f.name === name)?.value;
    assert.equal(value("backlog"), 6000);
    assert.ok(Math.abs((value("time to zero lag") as number) - 0.15) < 1e-9);
    assert.ok(Math.abs((value("catch-up rate") as number) - 40_000) < 1e-6);
  });

  it("with two groups, each reading the whole backlog, the curve is what one group still has to read", () => {
    const measured = {
      counter: () => 1000,
      timeseries: [point(1.9, "steady", 0), point(2.05, "drain", 20_000), point(2.1, "drain", 20_000)],
      consumedUpToPoint: [0, 1000, 2000],
      marks: { consumersStarted: 2, drained: 2.1 },
    } as unknown as MeasuredEntry;
    const { curves } = backlogDrain.results?.({ consumerGroups: 2 } as WorkloadPlan, measured) ?? { curves: [] };
    assert.deepEqual(curves[0]?.series[0]?.points, [[0, 1000], [0.05, 500], [0.1, 0]]);
  });
});
