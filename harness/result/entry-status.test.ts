import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { entryStatus, judgeTargetHeld, runStatus, targetNotHeldText } from "./entry-status.js";
import type { RunEntryResult } from "./result-schema.js";

const throughput = (target: number, acked: number) => ({ target, sent: acked, acked, consumed: acked, measuredS: 10 });
const policy = { share: 0.95, gate: true };

describe("target held", () => {
  it("holds at the required share and not below it", () => {
    assert.equal(judgeTargetHeld({ mode: "open-loop", throughput: throughput(300, 285) }, policy, false)?.held, true);
    const missed = judgeTargetHeld({ mode: "open-loop", throughput: throughput(300, 27) }, policy, false);
    assert.deepEqual(missed, { share: 0.09, required: 0.95, held: false, gate: true });
    assert.equal(judgeTargetHeld({ mode: "open-loop", throughput: throughput(300, 250) }, { share: 0.8, gate: false }, false)?.held, true);
  });

  it("does not judge closed loop, an empty schedule or a capacity search", () => {
    assert.equal(judgeTargetHeld({ mode: "closed-loop", throughput: throughput(0, 500) }, policy, false), null);
    assert.equal(judgeTargetHeld({ mode: "open-loop", throughput: throughput(0, 0) }, policy, false), null);
    assert.equal(judgeTargetHeld({ mode: "open-loop", throughput: throughput(400, 82) }, policy, true), null);
  });

  it("ranks an error, an interruption and a failed check above an unheld target", () => {
    const unheld = { share: 0.5, required: 0.95, held: false, gate: true };
    assert.equal(entryStatus({ error: false, incomplete: false, failed: false, targetHeld: unheld }), "target-not-held");
    assert.equal(entryStatus({ error: false, incomplete: false, failed: true, targetHeld: unheld }), "failed");
    assert.equal(entryStatus({ error: true, incomplete: true, failed: true, targetHeld: unheld }), "error");
    assert.equal(entryStatus({ error: false, incomplete: false, failed: false, targetHeld: null }), "passed");
  });

  it("fails the run only where the scenario gates on it", () => {
    const entry = (gate: boolean) => ({ status: "target-not-held", targetHeld: { share: 0.5, required: 0.95, held: false, gate } }) as RunEntryResult;
    assert.equal(runStatus([entry(true)], false), "failed");
    assert.equal(runStatus([entry(false)], false), "passed");
    assert.equal(runStatus([entry(false)], true), "incomplete");
  });

  it("says what was asked and what was acknowledged", () => {
    const text = targetNotHeldText({ throughput: throughput(300, 27), targetHeld: { share: 0.09, required: 0.95, held: false, gate: false } });
    assert.equal(text, "target not held: acknowledged 27 of the 300 events/s asked (9 %; holding it takes 95 %), not gated by the scenario");
    assert.equal(targetNotHeldText({ throughput: throughput(300, 300), targetHeld: { share: 1, required: 0.95, held: true, gate: true } }), null);
  });
});
