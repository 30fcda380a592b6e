import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * A system that cannot keep up: the memory adapter accepts 100 events/s and is asked for 200.
 * The entry is marked "target not held" in result.json, the summary, summary.md and junit.xml;
 * the run fails only where the scenario gates on it.
 */
const scenario = (gate: boolean, extra = "") => `
name: target-held-test${extra}
adapterSettings:
  memory: { capacityPerSecond: 100 }
scenarios:
  steady:
    workload: publish-consume
    executor: constant-arrival-rate
    rate: 200
    duration: 3s
    warmup: 0s
thresholds:
  lost: ["count==0"]
targetHeld: { gate: ${gate} }
`;

let dir: string;

describe("an open-loop entry that does not hold its target", () => {
  before(async () => {
    dir = await tempDir("target-held");
  });

  it("is marked everywhere and fails a run that gates on it (exit 1)", async () => {
    const path = join(dir, "gated.yaml");
    await writeFile(path, scenario(true));
    const outcome = await runCli(["run", "--adapter", "memory", "--scenario", path, "--out", dir, "--run-id", "gated"]);
    assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /✗ memory steady: target not held: acknowledged [\d.]+ of the 200 events\/s asked \(\d+(\.\d)? %; holding it takes 95 %\)/);
    const result = await readValidatedResult(join(dir, "gated"));
    assert.equal(result.status, "failed");
    const [entry] = result.runs;
    assert.equal(entry?.status, "target-not-held");
    assert.equal(entry?.targetHeld?.held, false);
    assert.ok((entry?.targetHeld?.share ?? 1) < 0.7, `about half the target acknowledged, got ${entry?.targetHeld?.share}`);
    assert.match(await readFile(join(dir, "gated", "junit.xml"), "utf8"), /name="target held: acknowledged at least 95 % of the target rate"><failure message="target not held/);
    assert.match(await readFile(join(dir, "gated", "summary.md"), "utf8"), /\*\*Target not held\*\* in memory \/ steady/);
  });

  it("is marked and does not fail a run that does not gate on it", async () => {
    const path = join(dir, "marked.yaml");
    await writeFile(path, scenario(false));
    const outcome = await runCli(["run", "--adapter", "memory", "--scenario", path, "--out", dir, "--run-id", "marked"]);
    assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /⚠ memory steady: target not held: .*not gated by the scenario/);
    const result = await readValidatedResult(join(dir, "marked"));
    assert.equal(result.status, "passed");
    assert.equal(result.runs[0]?.status, "target-not-held");
  });

  it("is held, gated, where the file scales that adapter's rates to what it can take (rateScale)", async () => {
    const path = join(dir, "scaled.yaml");
    await writeFile(path, scenario(true, "\nrateScale: { memory: 0.4 }"));
    const outcome = await runCli(["run", "--adapter", "memory", "--scenario", path, "--out", dir, "--run-id", "scaled"]);
    assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
    const result = await readValidatedResult(join(dir, "scaled"));
    const [entry] = result.runs;
    assert.equal(entry?.settings.targetRate, 80);
    assert.equal(entry?.throughput.target, 80);
    assert.equal(entry?.status, "passed");
    assert.equal(entry?.targetHeld?.held, true);
    assert.match(result.notes?.join("\n") ?? "", /memory runs it at 0\.4 × its rates \(rateScale\): target 80\/s instead of 200\/s/);
  });
});
