import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AnswerWatch } from "./answer-watch.js";

describe("answer watch", () => {
  it("gives up after the no-answer time with appends waiting, naming the last answer", () => {
    const w = new AnswerWatch(10);
    assert.equal(w.check(1, { sent: 100, answered: 90 }, 0), undefined);
    assert.equal(w.check(5, { sent: 500, answered: 400 }, 0), undefined);
    assert.equal(w.check(14, { sent: 600, answered: 400 }, 0), undefined);
    assert.deepEqual(w.check(15, { sent: 600, answered: 400 }, 0), { lastAnswerS: 5, detectedS: 15, waiting: 200 });
  });

  it("a silent system with nothing waiting is no failure (a producer that is done)", () => {
    const w = new AnswerWatch(10);
    w.check(1, { sent: 10, answered: 10 }, 0);
    assert.equal(w.check(30, { sent: 10, answered: 10 }, 0), undefined);
  });

  it("a system that never answered is given up on with lastAnswerS null", () => {
    const w = new AnswerWatch(10);
    assert.deepEqual(w.check(10, { sent: 5, answered: 0 }, 0), { lastAnswerS: null, detectedS: 10, waiting: 5 });
  });

  it("a planned fault excuses the silence while it lasts and the watch starts again at its end", () => {
    const w = new AnswerWatch(10);
    w.check(2, { sent: 10, answered: 10 }, 0);
    assert.equal(w.check(20, { sent: 50, answered: 10 }, Infinity), undefined, "a pause in effect");
    assert.equal(w.check(29, { sent: 50, answered: 10 }, 20), undefined, "9 s after its end");
    assert.ok(w.check(30, { sent: 50, answered: 10 }, 20));
  });
});
