/**
 * How often `eventbench compare` calls a regression between runs of the same build: the false
 * positive rate of the comparison at the scenario's settings, on this machine's noise. Runs the
 * scenario RUNS times (or reads the runs in RESULTS), then compares every ordered pair of runs, and,
 * with six runs or more, every way of splitting six of them into a baseline of three and three new
 * runs (the baseline's noise band then counts). Not a test: `npm run bench:noise`.
 *
 *   RUNS=6 ADAPTERS=memory,redis-streams SCENARIO=scenarios/ci.yaml npm run bench:noise
 *   RESULTS=/tmp/eventbench-noise-XXXX RUNS=6 npm run bench:noise     # the same runs, judged again
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { readRunResult } from "../report/run-results.js";
import { compareRuns, type RunComparison } from "../report/run-comparison.js";

const execFileAsync = promisify(execFile);
const RUNS = Number(process.env.RUNS ?? "6");
const ADAPTERS = process.env.ADAPTERS ?? "memory,redis-streams";
const SCENARIO = process.env.SCENARIO ?? "scenarios/ci.yaml";
const CLI = new URL("../../bin/eventbench.js", import.meta.url).pathname;

const out = process.env.RESULTS ?? (await mkdtemp(join(tmpdir(), "eventbench-noise-")));
const runs = [];
for (let i = 1; i <= RUNS; i++) {
  if (!process.env.RESULTS) {
    process.stderr.write(`run ${i}/${RUNS}\n`);
    // Exit 1 (a threshold failed) still wrote a result: it is part of the noise.
    await execFileAsync(process.execPath, [CLI, "run", "--scenario", SCENARIO, "--adapter", ADAPTERS, "--out", out, "--run-id", `run-${i}`], { maxBuffer: 1 << 26 }).catch(() => undefined);
  }
  runs.push(await readRunResult(join(out, `run-${i}`)));
}
process.stderr.write(`runs in ${out}\n`);
const settings = { ...(runs[0] as (typeof runs)[number]).scenario.regression, ...(process.env.TOLERANCE ? { tolerance: Number(process.env.TOLERANCE) } : {}) };

interface Tally {
  comparisons: number;
  flaggedComparisons: number;
  metrics: number;
  flaggedMetrics: number;
  worstChange: number;
}
const tally = (): Tally => ({ comparisons: 0, flaggedComparisons: 0, metrics: 0, flaggedMetrics: 0, worstChange: 0 });
function count(t: Tally, c: RunComparison) {
  t.comparisons++;
  if (c.regressions > 0) t.flaggedComparisons++;
  for (const e of c.entries) {
    for (const m of e.metrics) {
      if (m.verdict === "insufficient data") continue;
      t.metrics++;
      if (m.verdict === "regression") t.flaggedMetrics++;
      const worse = m.change === null ? 0 : m.better === "lower" ? m.change : -m.change;
      t.worstChange = Math.max(t.worstChange, worse);
    }
  }
}

const pairs = tally();
for (let i = 0; i < runs.length; i++) for (let j = 0; j < runs.length; j++) if (i !== j) count(pairs, compareRuns([runs[i] as (typeof runs)[number]], [runs[j] as (typeof runs)[number]], settings));
const triples = tally();
if (runs.length >= 6) {
  const six = runs.slice(0, 6);
  for (let mask = 0; mask < 64; mask++) {
    const chosen = six.filter((_, i) => mask & (1 << i));
    if (chosen.length !== 3) continue;
    count(triples, compareRuns(chosen, six.filter((_, i) => !(mask & (1 << i))), settings));
  }
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : "n/a");
const row = (name: string, t: Tally) =>
  `| ${name} | ${t.comparisons} | ${t.flaggedComparisons} (${pct(t.flaggedComparisons, t.comparisons)}) | ${t.metrics} | ${t.flaggedMetrics} (${pct(t.flaggedMetrics, t.metrics)}) | +${(t.worstChange * 100).toFixed(0)}% |`;
process.stdout.write(
  [
    `${RUNS} runs of one build; tolerance ${settings.tolerance}, alpha ${settings.alpha}, minDeltaMs ${settings.minDeltaMs}`,
    "",
    "| comparison | comparisons | flagged as regression | metric verdicts | metric regressions | largest move the wrong way |",
    "| --- | --- | --- | --- | --- | --- |",
    row("run vs run (per-second values)", pairs),
    ...(triples.comparisons ? [row("3 baseline runs vs 3 new runs (noise band counts)", triples)] : []),
    "",
  ].join("\n"),
);
