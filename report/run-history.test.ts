import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../harness/errors/errors.js";
import { runResultSchema, type RunResult } from "../harness/result/result-schema.js";
import { historyMetric } from "./history-metrics.js";
import { buildHistory, chosenMetrics, readRunHistory, type HistorySeries } from "./run-history.js";

const FIXTURE_TEXT = readFileSync(fileURLToPath(new URL("../../results/example/result.json", import.meta.url)), "utf8");
const fixture = (): RunResult => runResultSchema.parse(JSON.parse(FIXTURE_TEXT));

/** The fixture as another run: its own id and start, every steady per-second and summary e2e latency times `factor`. */
function runOf(runId: string, startedAt: string, factor = 1): RunResult {
  const r = fixture();
  r.runId = runId;
  r.startedAt = startedAt;
  for (const e of r.runs) {
    e.latency.endToEnd.p99 *= factor;
    for (const p of e.timeseries) if (p.e2eP99 !== null) p.e2eP99 *= factor;
  }
  return r;
}

let dir: string;
async function writeRun(folder: string, r: unknown): Promise<string> {
  await mkdir(join(dir, folder), { recursive: true });
  await writeFile(join(dir, folder, "result.json"), JSON.stringify(r));
  return join(dir, folder);
}

describe("run history: gathering", () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eventbench-history-unit-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads every run of a folder of runs and the run folders named, once each, oldest first", async () => {
    // Folder names sort the other way round from the start times: the order is the runs' own.
    await writeRun("nightly/a-latest", runOf("latest", "2026-12-03T02:00:00.000Z"));
    await writeRun("nightly/b-earliest", runOf("earliest", "2026-12-01T02:00:00.000Z"));
    const other = await writeRun("other-run", runOf("middle", "2026-12-02T02:00:00.000Z"));
    const runs = await readRunHistory([join(dir, "nightly"), other, join(dir, "nightly", "a-latest")]);
    assert.deepEqual(
      runs.map((r) => r.name),
      ["earliest", "middle", "latest"],
    );
    assert.equal(runs[2]?.dir, join(dir, "nightly", "a-latest"));
  });

  it("takes a sub-folder of repeats (ci --repeat 3) as one run of them, linking the report beside them", async () => {
    for (const i of [1, 2, 3]) await writeRun(`with-repeats/night-x/run-${i}`, runOf(`repeat-${i}`, `2026-12-06T02:0${i}:00.000Z`));
    await writeRun("with-repeats/single", runOf("single", "2026-12-07T02:00:00.000Z"));
    const runs = await readRunHistory([join(dir, "with-repeats")]);
    assert.deepEqual(
      runs.map((r) => [r.name, r.dir, r.results.map((x) => x.runId)]),
      [
        ["night-x", join(dir, "with-repeats", "night-x"), ["repeat-1", "repeat-2", "repeat-3"]],
        ["single", join(dir, "with-repeats", "single"), ["single"]],
      ],
    );
  });

  it("names the path of a folder without result.json, of an unreadable and of a too-new result", async () => {
    await mkdir(join(dir, "empty"), { recursive: true });
    await assert.rejects(readRunHistory([join(dir, "empty")]), (e: ConfigError) => e instanceof ConfigError && e.where === join(dir, "empty") && /no result\.json in it or in its sub-folders/.test(e.problem));
    await mkdir(join(dir, "odd", "result.json"), { recursive: true });
    await assert.rejects(readRunHistory([join(dir, "odd")]), (e: ConfigError) => e.where === join(dir, "odd", "result.json") && /cannot be read \(it is a folder, not a file\)/.test(e.problem));
    const newer = await writeRun("newer", { ...runOf("newer", "2026-12-04T00:00:00.000Z"), schemaVersion: 2 });
    await assert.rejects(readRunHistory([newer]), (e: ConfigError) => e.where === `${join(newer, "result.json")}: schemaVersion` && /2: written by a newer eventbench; this one reads result\.json version 1/.test(e.problem));
    await writeFile(join(dir, "nightly", "a-latest", "result.json"), "{ not json");
    await assert.rejects(readRunHistory([join(dir, "nightly")]), (e: ConfigError) => e.where === join(dir, "nightly", "a-latest", "result.json") && /not JSON/.test(e.problem));
  });

  it("refuses a metric it does not plot, listing the names it does", () => {
    assert.throws(() => chosenMetrics(["e2e.p99"]), (e: ConfigError) => e.where === "--metric e2e.p99" && e.problem.includes("latency.endToEnd.p99"));
    assert.deepEqual(
      chosenMetrics(["latency.endToEnd.p99", "delivery.lost"]).map((m) => m.unit),
      ["ms", "events"],
    );
  });
});

describe("run history: series, baseline and regressions", () => {
  const runs = [
    { dir: "/r/1", name: "same", results: [runOf("same", "2026-12-01T02:00:00.000Z")] },
    { dir: "/r/2", name: "slower", results: [runOf("slower", "2026-12-02T02:00:00.000Z", 4)] },
  ];
  const metrics = chosenMetrics(["latency.endToEnd.p99", "throughput.acked", "delivery.lost"]);
  const entries = fixture().runs;

  it("has one series per adapter × scenario with each run's figure from result.json", () => {
    const h = buildHistory(runs, { metrics });
    const [e2e, acked] = h.charts;
    assert.equal(e2e?.series.length, entries.length);
    for (const e of entries) {
      const s: HistorySeries | undefined = e2e?.series.find((x) => x.name === `${e.adapter} / ${e.scenario}`);
      assert.deepEqual(
        s?.points.map((p) => p.value),
        [e.latency.endToEnd.p99, e.latency.endToEnd.p99 * 4],
      );
      assert.equal(acked?.series.find((x) => x.name === `${e.adapter} / ${e.scenario}`)?.points[1]?.value, e.throughput.acked);
    }
    // No baseline: nothing judged, nothing drawn as one.
    assert.equal(h.baseline, null);
    assert.ok(h.charts.every((c) => c.comparedAs === null && c.series.every((s) => s.baseline === null && s.points.every((p) => p.verdict === null))));
    assert.deepEqual(h.runs.map((r) => r.regressions), [[], []]);
  });

  it("marks what the comparison with the baseline finds: the slower run's e2e p99, not the same run's", () => {
    const baseline = { path: "baselines/x.json", runs: [runOf("base", "2026-11-30T02:00:00.000Z")] };
    const h = buildHistory(runs, { metrics, baseline });
    const [e2e, acked, lost] = h.charts;
    assert.equal(e2e?.comparedAs, "end-to-end p99");
    assert.equal(acked?.comparedAs, "acknowledged rate");
    assert.equal(lost?.comparedAs, null);
    const steady = e2e?.series.find((s) => s.name === "memory / steady");
    assert.equal(steady?.baseline, entries[0]?.latency.endToEnd.p99);
    assert.deepEqual(
      steady?.points.map((p) => p.verdict),
      ["within noise", "regression"],
    );
    assert.ok((steady?.points[1]?.change ?? 0) > 2);
    assert.deepEqual(h.runs[0]?.regressions, []);
    assert.ok(h.runs[1]?.regressions.includes(`memory / steady: end-to-end p99 +300.0%`), h.runs[1]?.regressions.join("; "));
    assert.ok(lost?.series.every((s) => s.points.every((p) => p.verdict === null)));
  });

  it("plots repeats at their median and judges them together, as ci did", () => {
    const night = { dir: "/r/n", name: "night", results: [runOf("a", "2026-12-03T02:00:00.000Z", 1), runOf("b", "2026-12-03T02:01:00.000Z", 4), runOf("c", "2026-12-03T02:02:00.000Z", 5)] };
    const baseline = { path: "b.json", runs: [runOf("base", "2026-11-30T02:00:00.000Z")] };
    const h = buildHistory([night], { metrics, baseline });
    const steady = h.charts[0]?.series.find((s) => s.name === "memory / steady");
    assert.equal(steady?.points[0]?.value, 4 * (entries[0]?.latency.endToEnd.p99 ?? NaN));
    assert.equal(steady?.points[0]?.verdict, "regression");
    assert.equal(h.runs[0]?.repeats, 3);
  });

  it("leaves out a figure an entry did not measure rather than plotting it as 0", () => {
    const r = runOf("nothing-consumed", "2026-12-05T00:00:00.000Z");
    const e = r.runs[0] as RunResult["runs"][number];
    e.latency.endToEnd = { ...e.latency.endToEnd, count: 0, p99: 0 };
    const h = buildHistory([{ dir: "/r/x", name: "x", results: [r] }], { metrics: [historyMetric("latency.endToEnd.p99")!] });
    assert.equal(h.charts[0]?.series.find((s) => s.name === `${e.adapter} / ${e.scenario}`), undefined);
  });
});
