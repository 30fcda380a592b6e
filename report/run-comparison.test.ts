import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runResultSchema, type RunResult } from "../harness/result/result-schema.js";
import { rankSumTest } from "./rank-sum-test.js";
import { compareRuns, compareSamples, DEFAULT_COMPARISON, noiseBand } from "./run-comparison.js";

const LATENCY = { better: "lower", unit: "ms" } as const;
const RATE = { better: "higher", unit: "events/s" } as const;

/** Deterministic noise (mulberry32) so the tests are repeatable. */
function noise(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Latency-like samples: a floor plus a skewed tail, as per-second p99s look. */
const latencies = (n: number, scale: number, rnd: () => number) => Array.from({ length: n }, () => scale * (1 + 0.3 * -Math.log(1 - rnd())));

const fixture = (): RunResult =>
  runResultSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("../../results/example/result.json", import.meta.url)), "utf8")));

describe("rank-sum test", () => {
  it("finds two separated samples different and one sample the same as itself", () => {
    const a = Array.from({ length: 10 }, (_, i) => i + 1);
    const b = Array.from({ length: 10 }, (_, i) => i + 11);
    const separated = rankSumTest(b, a);
    assert.ok(separated.pValue < 0.001, `p ${separated.pValue}`);
    assert.equal(separated.probabilityAGreater, 1);
    assert.ok(rankSumTest(a, a).pValue > 0.9);
  });
});

describe("compareSamples", () => {
  const rnd = noise(42);
  it("calls a 40 % slower p99 a regression", () => {
    const v = compareSamples(latencies(30, 10, rnd), latencies(30, 14, rnd), LATENCY, DEFAULT_COMPARISON);
    assert.equal(v.verdict, "regression");
    assert.ok((v.change ?? 0) > 0.1);
  });
  it("calls a 40 % faster p99 an improvement", () => {
    assert.equal(compareSamples(latencies(30, 10, rnd), latencies(30, 6, rnd), LATENCY, DEFAULT_COMPARISON).verdict, "improvement");
  });
  it("keeps a significant move smaller than the tolerance within the noise", () => {
    const base = Array.from({ length: 40 }, (_, i) => 100 + (i % 5));
    const next = base.map((x) => x * 1.05);
    const v = compareSamples(base, next, LATENCY, DEFAULT_COMPARISON);
    assert.ok((v.pValue ?? 1) < 0.01, "the shift is real");
    assert.equal(v.verdict, "within noise");
  });
  it("calls a throughput drop a regression where higher is better", () => {
    const base = Array.from({ length: 20 }, () => 1000 + rnd() * 20);
    const next = Array.from({ length: 20 }, () => 700 + rnd() * 20);
    assert.equal(compareSamples(base, next, RATE, DEFAULT_COMPARISON).verdict, "regression");
  });
  it("never counts a latency move below minDeltaMs, however significant", () => {
    const base = Array.from({ length: 30 }, (_, i) => 0.5 + (i % 3) * 0.01);
    const next = base.map((x) => x + 0.3);
    const v = compareSamples(base, next, LATENCY, DEFAULT_COMPARISON);
    assert.ok((v.change ?? 0) > 0.5 && (v.pValue ?? 1) < 0.001);
    assert.equal(v.verdict, "within noise");
    assert.equal(compareSamples(base, next, LATENCY, { ...DEFAULT_COMPARISON, minDeltaMs: 0.1 }).verdict, "regression");
  });
  it("widens the tolerance to the noise band the baseline's repeated runs show", () => {
    const base = Array.from({ length: 30 }, (_, i) => 10 + (i % 3) * 0.1);
    const next = base.map((x) => x * 1.25);
    assert.equal(compareSamples(base, next, LATENCY, DEFAULT_COMPARISON, 0.1).verdict, "regression");
    assert.equal(compareSamples(base, next, LATENCY, DEFAULT_COMPARISON, 0.3).verdict, "within noise");
  });
  it("measures the noise band as the largest stray of one run's median from the pooled median", () => {
    assert.equal(noiseBand([[10, 10, 10]]), null);
    assert.ok(Math.abs((noiseBand([[10, 10, 10], [12, 12, 12], [10, 10, 10]]) as number) - 0.2) < 1e-9);
  });
  it("gives no verdict on too few samples", () => {
    assert.equal(compareSamples([1, 2, 3], [10, 20, 30], LATENCY, DEFAULT_COMPARISON).verdict, "insufficient data");
  });
  it("rarely flags two samples of the same distribution, even with a heavy tail", () => {
    const trials = 500;
    let flagged = 0;
    for (let i = 0; i < trials; i++) {
      if (compareSamples(latencies(20, 10, rnd), latencies(20, 10, rnd), LATENCY, DEFAULT_COMPARISON).verdict === "regression") flagged++;
    }
    assert.ok(flagged / trials < 0.01, `${flagged} of ${trials} false regressions`);
  });
});

describe("compareRuns", () => {
  it("finds no regression between a run and itself", () => {
    const run = fixture();
    const c = compareRuns([run], [run], DEFAULT_COMPARISON);
    assert.equal(c.regressions, 0);
    assert.equal(c.entries.length, run.runs.length);
    assert.deepEqual(c.unmatched, []);
  });

  it("flags publish p99 when every steady interval tripled, and names an entry present on one side", () => {
    const base = fixture();
    const slower = structuredClone(base);
    slower.runId = "slower";
    for (const e of slower.runs) for (const p of e.timeseries) if (p.publishP99 !== null) p.publishP99 *= 3;
    slower.runs.push({ ...(slower.runs[0] as RunResult["runs"][number]), scenario: "only-new" });
    const c = compareRuns([base], [slower], DEFAULT_COMPARISON);
    for (const e of c.entries.filter((x) => x.scenario === "steady")) {
      assert.equal(e.metrics.find((m) => m.metric === "publish p99")?.verdict, "regression", e.adapter);
      assert.equal(e.metrics.find((m) => m.metric === "publish p50")?.verdict, "within noise", e.adapter);
    }
    assert.deepEqual(c.unmatched.map((u) => [u.scenario, u.side]), [["only-new", "new"]]);
    assert.ok(c.regressions >= base.runs.filter((e) => e.scenario === "steady").length);
  });

  it("with repeated baseline runs, reports their noise band per metric", () => {
    const run = fixture();
    const shifted = structuredClone(run);
    for (const e of shifted.runs) for (const p of e.timeseries) if (p.publishP99 !== null) p.publishP99 *= 1.5;
    const c = compareRuns([run, shifted, run], [run], DEFAULT_COMPARISON);
    for (const e of c.entries.filter((x) => x.scenario === "steady")) {
      const m = e.metrics.find((x) => x.metric === "publish p99");
      assert.ok(m?.noiseBand !== null && (m?.noiseBand ?? 0) > 0.1, `band ${m?.noiseBand}`);
      assert.equal(m?.samples.base, 3 * (m?.samples.new ?? 0));
    }
    // Beyond the band, a real slowdown is still found.
    const doubled = structuredClone(run);
    for (const e of doubled.runs) for (const p of e.timeseries) if (p.publishP99 !== null) p.publishP99 *= 2.5;
    const found = compareRuns([run, shifted, run], [doubled], DEFAULT_COMPARISON);
    for (const e of found.entries.filter((x) => x.scenario === "steady")) assert.equal(e.metrics.find((x) => x.metric === "publish p99")?.verdict, "regression", e.adapter);
  });
});
