import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HARNESS_WARNING_CAUSES, harnessWarningCause, harnessWarnings, type HealthInputs } from "./harness-warnings.js";

const healthy: HealthInputs = {
  mode: "open-loop",
  throughput: { target: 1000, sent: 1000 },
  scheduleDelayP99Ms: 1,
  inFlightLimited: 0,
  eventLoopP99Ms: 2,
  readingWaitMaxMs: 3,
  inProcess: false,
  ceilingShare: 0.01,
};

describe("harness self-check", () => {
  it("a healthy entry has no warning", () => {
    assert.deepEqual(harnessWarnings(healthy), []);
  });

  it("threads that hand over their per-second readings late make the per-second figures unreliable", () => {
    const [w] = harnessWarnings({ ...healthy, readingWaitMaxMs: 8_400 });
    assert.match(w ?? "", /^harness threads answered late: a per-second reading took 8\.4 s/);
  });

  it("an entry above half of the harness's ceiling on this machine is flagged; an in-process one is the ceiling itself", () => {
    assert.match(harnessWarnings({ ...healthy, ceilingShare: 0.62 })[0] ?? "", /^near the harness's own ceiling: acknowledged 62 %/);
    assert.deepEqual(harnessWarnings({ ...healthy, ceilingShare: 0.62, inProcess: true }), []);
    assert.deepEqual(harnessWarnings({ ...healthy, ceilingShare: null }), []);
  });

  it("every warning starts with its cause, which a merged worker's prefix does not hide", () => {
    const all = harnessWarnings({ ...healthy, eventLoopP99Ms: 80, readingWaitMaxMs: 2_000, scheduleDelayP99Ms: 40, throughput: { target: 1000, sent: 500 }, inProcess: true });
    assert.deepEqual(all.map(harnessWarningCause), [
      HARNESS_WARNING_CAUSES.eventLoop,
      HARNESS_WARNING_CAUSES.lateReadings,
      HARNESS_WARNING_CAUSES.scheduleDelay,
      HARNESS_WARNING_CAUSES.sendRate,
      HARNESS_WARNING_CAUSES.inProcess,
    ]);
    assert.equal(harnessWarningCause(`worker w-1: ${all[0]}`), HARNESS_WARNING_CAUSES.eventLoop);
    assert.equal(harnessWarningCause("something an older eventbench wrote"), "something an older eventbench wrote");
  });
});
