import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyChooser } from "./key-distribution.js";

/** A deterministic uniform source in [0, 1): draws spread evenly, so frequencies follow the CDF exactly. */
const evenDraws = (n: number) => {
  let i = 0;
  return () => (i++ % n + 0.5) / n;
};

describe("key distributions", () => {
  it("uniform: every key equally often", () => {
    const choose = keyChooser(4, { kind: "uniform" }, evenDraws(400));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[choose()]! += 1;
    assert.deepEqual(counts, [100, 100, 100, 100]);
  });

  it("zipf: key k chosen in proportion to 1/(k+1)^s", () => {
    const keys = 5;
    const s = 1.2;
    const draws = 100_000;
    const choose = keyChooser(keys, { kind: "zipf", exponent: s }, evenDraws(draws));
    const counts = new Array<number>(keys).fill(0);
    for (let i = 0; i < draws; i++) counts[choose()]! += 1;
    const weights = Array.from({ length: keys }, (_, k) => 1 / Math.pow(k + 1, s));
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, k) => assert.ok(Math.abs((counts[k] as number) - (draws * w) / total) <= 1, `key ${k}: ${counts[k]} vs ${(draws * w) / total}`));
    assert.ok((counts[0] as number) > (counts[4] as number) * 6, "key 0 is the hot aggregate");
  });
});
