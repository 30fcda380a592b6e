import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PiecewiseLinearSchedule, constantRate } from "./arrival-schedule.js";

describe("arrival schedule", () => {
  it("spaces a constant rate evenly from t=0", () => {
    const s = constantRate(2000, 10);
    assert.equal(s.totalEvents, 20_000);
    assert.equal(s.timeOf(0), 0);
    assert.equal(s.timeOf(1), 0.0005);
    assert.equal(s.timeOf(2000), 1);
    assert.equal(s.dueBy(0), 1);
    assert.equal(s.dueBy(0.00049), 1);
    assert.equal(s.dueBy(0.0005), 2);
    assert.equal(s.dueBy(1), 2001);
    assert.equal(s.dueBy(100), 20_000, "never more than the schedule holds");
    assert.equal(s.dueBy(-1), 0);
  });

  it("integrates a linear ramp exactly (k6 ramping-arrival-rate)", () => {
    const s = new PiecewiseLinearSchedule([
      { from: 0, to: 100, durationS: 10 }, // 500 events
      { from: 100, to: 100, durationS: 5 }, // 500 events
    ]);
    assert.equal(s.totalEvents, 1000);
    // N(t) = 5 t² in the ramp: event 500 at t = 10, event 125 at t = 5
    assert.ok(Math.abs(s.timeOf(125) - 5) < 1e-9);
    assert.ok(Math.abs(s.timeOf(500) - 10) < 1e-9);
    assert.ok(Math.abs(s.timeOf(750) - 12.5) < 1e-9);
    assert.equal(s.rateAt(5), 50);
    assert.equal(s.rateAt(12), 100);
  });

  it("keeps timeOf and dueBy consistent with each other", () => {
    const s = new PiecewiseLinearSchedule([
      { from: 10, to: 300, durationS: 3 },
      { from: 300, to: 50, durationS: 2 },
    ]);
    for (let i = 0; i < s.totalEvents; i++) {
      const t = s.timeOf(i);
      assert.ok(s.dueBy(t + 1e-7) >= i + 1, `event ${i} is due at its own time`);
      if (i > 0) assert.ok(s.timeOf(i - 1) <= t, "times never go backwards");
    }
  });
});
