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

  it("ramps from 0/s, k6's default startRate: the first event is due at the start, every time is a number", () => {
    const s = new PiecewiseLinearSchedule([
      { from: 0, to: 100, durationS: 10 },
      { from: 100, to: 0, durationS: 10 },
    ]);
    assert.equal(s.totalEvents, 1000);
    assert.equal(s.timeOf(0), 0);
    for (let i = 0; i < s.totalEvents; i++) assert.ok(Number.isFinite(s.timeOf(i)), `event ${i} has a time`);
    assert.ok(Math.abs(s.timeOf(500) - 10) < 1e-9);
  });

  it("gives a ramp's mean rate over an interval, not its rate at one instant", () => {
    // 50 → 300 → 0/s over 10 s + 10 s: 1750 + 1500 events, 162.5/s on average
    const s = new PiecewiseLinearSchedule([
      { from: 50, to: 300, durationS: 10 },
      { from: 300, to: 0, durationS: 10 },
    ]);
    assert.equal(s.meanRate(0, 20), 162.5);
    assert.equal(s.meanRate(9, 10), 287.5);
    assert.equal(s.meanRate(10, 11), 285);
    assert.equal(s.meanRate(19, 25), 2.5, "past the end nothing more is scheduled");
    assert.equal(constantRate(500, 10).meanRate(3, 4), 500);
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
