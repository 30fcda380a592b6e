import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * The ci scenario's shape, shortened: memory adapter, 1 s warm-up, 6 s measured. The memory
 * adapter is given a service time of 1.7 ms an append (600/s at 500/s, so nothing queues): the
 * comparison ignores latency moves under 1 ms, and with precise pacing the bare memory adapter's
 * p99 is well below that, so a baseline ten times faster would not be a regression to find.
 */
const SCENARIO = `
name: ci-test
adapterSettings:
  memory: { capacityPerSecond: 600 }
scenarios:
  steady:
    workload: publish-consume
    executor: constant-arrival-rate
    rate: 500
    duration: 6s
    warmup: 1s
thresholds:
  lost: ["count==0"]
  publish_latency: ["p(99)<LIMIT"]
regression:
  tolerance: 0.25
`;

let dir: string;
const scenario = async (limitMs: number) => {
  const path = join(dir, `ci-${limitMs}.yaml`);
  await writeFile(path, SCENARIO.replace("LIMIT", String(limitMs)));
  return path;
};

describe("eventbench ci", () => {
  before(async () => {
    dir = await tempDir("ci");
  });

  it("runs with no baseline yet, says so, writes the three files and the baseline file, with plain log lines off a TTY", async () => {
    const outcome = await runCli(["ci", "--adapter", "memory", "--scenario", await scenario(1000), "--out", dir, "--run-id", "first", "--baseline", join(dir, "baseline.json"), "--update-baseline", join(dir, "baseline.json")]);
    assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
    assert.match(outcome.stderr, /no baseline at .*baseline\.json yet: judging by the scenario's thresholds only/);
    for (const f of ["result.json", "report.html", "summary.md", "junit.xml"]) assert.ok(existsSync(join(dir, "first", f)), f);
    assert.ok(existsSync(join(dir, "baseline.json")));
    // Not a terminal: periodic plain lines, never cursor movement.
    assert.ok(!outcome.stdout.includes("\u001b["), "no ANSI escape sequences");
    assert.match(outcome.stdout, /memory steady \d+\/7s/);
  });

  it("passes against its own baseline, and fails (exit 1) when the baseline was much faster", async () => {
    const same = await runCli(["ci", "--adapter", "memory", "--scenario", await scenario(1000), "--out", dir, "--run-id", "second", "--baseline", join(dir, "baseline.json")]);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stdout, /0 regression\(s\)/);

    // A baseline whose publish p99 was a tenth of today's in every second: today is a regression.
    const baseline = JSON.parse(await readFile(join(dir, "baseline.json"), "utf8")) as { runs: { timeseries: { publishP99: number | null }[] }[] };
    for (const e of baseline.runs) for (const p of e.timeseries) if (p.publishP99 !== null) p.publishP99 /= 10;
    await writeFile(join(dir, "fast-baseline.json"), JSON.stringify(baseline));
    const slower = await runCli(["ci", "--adapter", "memory", "--scenario", await scenario(1000), "--out", dir, "--run-id", "third", "--baseline", join(dir, "fast-baseline.json")]);
    assert.equal(slower.code, 1, slower.stdout + slower.stderr);
    assert.match(slower.stdout, /ci: FAILED — \d+ regression\(s\) against the baseline/);
    assert.match(await readFile(join(dir, "third", "summary.md"), "utf8"), /publish p99 \| .* \| regression/);
  });

  it("fails (exit 1) on a threshold, with the failed threshold in summary.md and junit.xml", async () => {
    const outcome = await runCli(["ci", "--adapter", "memory", "--scenario", await scenario(0.001), "--out", dir, "--run-id", "strict"]);
    assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
    assert.match(await readFile(join(dir, "strict", "summary.md"), "utf8"), /### Failed thresholds/);
    assert.match(await readFile(join(dir, "strict", "junit.xml"), "utf8"), /<failure message="publish_latency = /);
  });
});
