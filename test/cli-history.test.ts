import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { before, describe, it } from "node:test";
import type { RunResult } from "../harness/result/result-schema.js";
import { formatNumber } from "../report/report-model.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * `eventbench history` on real runs: three short runs of the memory adapter in one results
 * folder, as the nightly leaves them, and a fourth written from the third with its end-to-end
 * latency quadrupled (a regression the comparison must find), judged against the first.
 */
const RUNS = ["night-1", "night-2", "night-3"];
let dir: string;
let nightly: string;

const readResult = async (run: string) => JSON.parse(await readFile(join(nightly, run, "result.json"), "utf8")) as RunResult;

/** `from` with every steady second's e2e p99 above the baseline's worst second, times 4. */
async function slowerCopy(from: string, to: string, baseline: string): Promise<void> {
  const result = await readResult(from);
  const worst = Math.max(...(await readResult(baseline)).runs.flatMap((e) => e.timeseries.map((p) => p.e2eP99 ?? 0)));
  result.runId = to;
  result.startedAt = new Date(Date.parse(result.startedAt) + 60_000).toISOString();
  for (const e of result.runs) {
    e.latency.endToEnd.p99 = 4 * worst;
    for (const p of e.timeseries) if (p.e2eP99 !== null) p.e2eP99 = 4 * worst + p.e2eP99;
  }
  await mkdir(join(nightly, to), { recursive: true });
  await writeFile(join(nightly, to, "result.json"), JSON.stringify(result));
  const report = await runCli(["report", join(nightly, to)]);
  assert.equal(report.code, 0, report.stderr);
}

/** The page's points: series name, run id and the link of each. */
function points(page: string, metric: string): { run: string; regression: boolean; href: string | null }[] {
  const figure = page.split(`<figure data-metric="${metric}">`)[1]?.split("</figure>")[0] ?? "";
  return [...figure.matchAll(/(?:<a href="([^"]+)">)?<circle class="point( regression)?[^"]*"[^>]*data-run="([^"]+)"/g)].map((m) => ({ run: m[3] as string, regression: m[2] !== undefined, href: m[1] ?? null }));
}

describe("eventbench history", () => {
  before(async () => {
    dir = await tempDir("history-cli");
    nightly = join(dir, "nightly");
    const scenario = join(dir, "short.yaml");
    await writeFile(scenario, "name: history\nscenarios:\n  steady: { executor: constant-arrival-rate, rate: 200, duration: 6s, warmup: 1s }\n");
    for (const id of RUNS) {
      const run = await runCli(["run", "--adapter", "memory", "--scenario", scenario, "--out", nightly, "--run-id", id]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
    }
    await slowerCopy("night-3", "night-4", "night-1");
  });

  it("plots the chosen metrics across the runs, the baseline and the regression marked, each point linking its report", async () => {
    const out = join(dir, "pages", "history.html");
    const outcome = await runCli(["history", nightly, "--baseline", join(nightly, "night-1"), "--metric", "latency.endToEnd.p99", "--metric", "throughput.acked", "--out", out]);
    assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /^history: .*history\.html\n4 run\(s\), 1 adapter \/ scenario series, metrics latency\.endToEnd\.p99, throughput\.acked; [1-9]\d* regression\(s\) against /);
    const page = await readFile(out, "utf8");

    const e2e = points(page, "latency.endToEnd.p99");
    assert.deepEqual(e2e.map((p) => p.run), [...RUNS, "night-4"]);
    // The slowed run regressed, the baseline's own run did not (night-2 and -3 are real repeats on a
    // shared machine: the comparison may rightly judge one of them slower).
    assert.equal(e2e[0]?.regression, false);
    assert.equal(e2e[3]?.regression, true);
    assert.equal(points(page, "throughput.acked").length, 4);
    for (const p of e2e) {
      assert.ok(p.href, `${p.run} links its report`);
      assert.equal(resolve(dirname(out), decodeURIComponent(p.href)), join(nightly, p.run, "report.html"));
      assert.ok(existsSync(join(nightly, p.run, "report.html")));
    }
    // The baseline drawn at the first run's own figure, and its run named as the baseline.
    const first = await readResult("night-1");
    assert.ok(page.includes(`<title>baseline of memory / steady: ${formatNumber(first.runs[0]?.latency.endToEnd.p99 ?? NaN)} ms</title>`));
    assert.match(page, /<tr class="baseline-run"><td class="text"><a href="[^"]*night-1[^"]*">night-1<\/a>/);
    assert.match(page, /night-4<\/a><\/td><td class="text">[^<]+<\/td><td class="text [a-z]+">[a-z-]+<\/td><td class="text"><span class="fail">memory \/ steady: end-to-end p99 \+\d/);
    // Each line named at its end, units in the titles.
    assert.match(page, /<text class="series-label"[^>]*>memory \/ steady [\d.,]+ ms \(baseline [\d.,]+\)<\/text>/);
    assert.match(page, /<figcaption>latency\.endToEnd\.p99 \(ms\)/);
    assert.match(page, /<figcaption>throughput\.acked \(events\/s\)/);
    // Self-contained: no script, nothing fetched.
    assert.doesNotMatch(page, /<script|src=|https?:\/\//);
  });

  it("writes history.html beside the run folders by default, with the two default metrics and no baseline", async () => {
    const outcome = await runCli(["history", join(nightly, "night-1"), join(nightly, "night-2")]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /2 run\(s\), 1 adapter \/ scenario series, metrics latency\.endToEnd\.p99, throughput\.acked; no baseline: regressions not judged/);
    const page = await readFile(join(nightly, "history.html"), "utf8");
    assert.equal(points(page, "latency.endToEnd.p99").length, 2);
    assert.match(page, /No baseline given/);
  });

  it("names the path of a folder without runs, of a too-new result and of an unknown metric (exit 2)", async () => {
    const empty = join(dir, "empty");
    await mkdir(empty, { recursive: true });
    let outcome = await runCli(["history", empty]);
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, new RegExp(`${empty}: no result\\.json in it or in its sub-folders`));

    const newer = join(dir, "newer");
    await mkdir(newer, { recursive: true });
    const result = await readResult("night-1");
    await writeFile(join(newer, "result.json"), JSON.stringify({ ...result, schemaVersion: 2 }));
    outcome = await runCli(["history", nightly, newer]);
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, new RegExp(`${join(newer, "result.json")}: schemaVersion: 2: written by a newer eventbench`));

    outcome = await runCli(["history", nightly, "--metric", "e2e.p99"]);
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /--metric e2e\.p99: not a metric the history plots; expected one of latency\.endToEnd\.p50/);
  });
});
