import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

describe("ramping-arrival-rate as k6 users write it", () => {
  it("ramps from k6's default startRate 0 and is judged, second by second, against what it scheduled rather than its peak", async () => {
    const out = await tempDir("ramp");
    const file = join(out, "ramp.yaml");
    // 0 → 300 → 0/s over 3 s + 3 s: 900 events, 150/s on average; its peak (300/s) is one instant.
    await writeFile(
      file,
      `scenarios:
  ramp:
    executor: ramping-arrival-rate
    stages: [{ target: 300, duration: 3s }, { target: 0, duration: 3s }]
thresholds:
  throughput: ["rate>0.9"]
  lost: ["count==0"]
`,
    );
    const outcome = await runCli(["run", "-s", file, "-a", "memory", "--out", out, "--run-id", "r"]);
    assert.equal(outcome.code, 0, `exit 0 expected\n${outcome.stdout}\n${outcome.stderr}`);
    const [entry] = (await readValidatedResult(join(out, "r"))).runs;
    assert.ok(entry);
    assert.equal(entry.delivery.sent, 900, "the whole schedule was sent");
    assert.equal(entry.throughput.target, 150, "the target is the schedule's mean over the steady state");
    assert.equal(entry.settings.targetRate, 300, "the peak stays in the settings");
    assert.deepEqual(entry.thresholds.map((t) => [t.expression, t.passed]), [["rate>0.9", true], ["count==0", true]]);
    assert.ok(!entry.harness.warnings.some((w) => /scheduler behind target/.test(w)), `not flagged as the bottleneck: ${entry.harness.warnings.join("; ")}`);
    // Each second's target is what that second scheduled: 50, 150, 250, 250, 150, 50.
    const steady = entry.timeseries.filter((p) => p.phase === "steady");
    assert.deepEqual(steady.map((p) => Math.round(p.targetRate)), [50, 150, 250, 250, 150, 50]);
  });

  it("refuses a warm-up at a starting rate of 0/s, which would send nothing", async () => {
    const out = await tempDir("ramp");
    const file = join(out, "ramp.yaml");
    await writeFile(file, "scenarios:\n  ramp:\n    executor: ramping-arrival-rate\n    warmup: 5s\n    stages: [{ target: 300, duration: 3s }]\n");
    const outcome = await runCli(["run", "-s", file, "-a", "memory", "--out", out]);
    assert.equal(outcome.code, 2, outcome.stderr);
    assert.match(outcome.stderr, /scenarios\.ramp\.warmup: .*startRate is 0/);
  });
});
