import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDuration } from "./duration.js";
import { compare, parseThreshold } from "./threshold.js";

describe("k6 vocabulary", () => {
  it("parses thresholds", () => {
    assert.deepEqual(parseThreshold("p(99)<25"), { source: "p(99)<25", aggregation: { kind: "percentile", percentile: 99 }, comparator: "<", bound: 25 });
    assert.deepEqual(parseThreshold(" p(99.9) <= 1.5 ")?.aggregation, { kind: "percentile", percentile: 99.9 });
    assert.equal(parseThreshold("rate<0.01")?.bound, 0.01);
    assert.equal(parseThreshold("count==0")?.comparator, "==");
    assert.equal(parseThreshold("p99<25"), null);
    assert.equal(parseThreshold("p(101)<25"), null);
    assert.equal(parseThreshold("avg<"), null);
  });

  it("compares", () => {
    assert.equal(compare(24.9, "<", 25), true);
    assert.equal(compare(25, "<", 25), false);
    assert.equal(compare(25, "<=", 25), true);
    assert.equal(compare(0, "==", 0), true);
  });

  it("parses durations", () => {
    assert.equal(parseDuration("10s"), 10);
    assert.equal(parseDuration("1m30s"), 90);
    assert.equal(parseDuration("500ms"), 0.5);
    assert.equal(parseDuration("2h"), 7200);
    assert.equal(parseDuration("10"), null);
    assert.equal(parseDuration("10x"), null);
  });
});
