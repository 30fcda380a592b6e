import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/** `eventbench plan` resolves run's flags the way run does and prints the plan, starting nothing. */
describe("eventbench plan", () => {
  it("prints an OMB file's resolved plan with the flags applied and what was not honoured", async () => {
    const outcome = await runCli(["plan", "scenarios/omb/1-topic-16-partitions-1kb.yaml", "--rate", "500", "--duration", "5s", "--warmup", "0s", "--adapter", "memory"]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /nothing was started/);
    assert.match(outcome.stdout, /adapters: memory/);
    assert.match(outcome.stdout, /open loop at 500\/s; warm-up 0 s, measured 5 s/);
    assert.match(outcome.stdout, /payloadFile not honoured/);
    assert.match(outcome.stdout, /warm-up 0s from --warmup \(the file says 30s\)/);
    assert.doesNotMatch(outcome.stdout, /redis: started|eventbench run /, "no server and no run");
  });

  it("says which entries an adapter leaves out, and refuses bad flags as run does (exit 2)", async () => {
    const kafka = await runCli(["plan", "--adapter", "kafka", "--duration", "4s"]);
    assert.equal(kafka.code, 0, kafka.stderr);
    assert.match(kafka.stdout, /left out: kafka: scenario event-store: .*optimisticConcurrency/);
    assert.match(kafka.stdout, /scenarios\.max-throughput: 1 step\(s\) of 3 s to fit --duration 4 s/);
    const bad = await runCli(["plan", "--warmup", "soon"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--warmup: "soon" is not a duration/);
  });

  it("shows an adapter's scaled rates (rateScale) and refuses a factor for an adapter that does not exist", async () => {
    const dir = await tempDir("plan-rate-scale");
    const file = (adapter: string) => `name: scaled\nrateScale: { ${adapter}: 0.5 }\nscenarios:\n  steady: { executor: constant-arrival-rate, rate: 300, duration: 2s }\n`;
    await writeFile(join(dir, "ok.yaml"), file("memory"));
    const ok = await runCli(["plan", join(dir, "ok.yaml"), "--adapter", "memory"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /open loop at 300\/s; warm-up 0 s, measured 2 s\n\s+.*\n.*\n\s+memory \(rateScale\): open loop at 150\/s; warm-up 0 s, measured 2 s/);
    assert.match(ok.stdout, /scenarios\.steady: memory runs it at 0\.5 × its rates \(rateScale\): target 150\/s instead of 300\/s/);
    await writeFile(join(dir, "bad.yaml"), file("dynamo"));
    const bad = await runCli(["plan", join(dir, "bad.yaml")]);
    assert.equal(bad.code, 2, bad.stdout);
    assert.match(bad.stderr, /rateScale\.dynamo \(scenarios\.steady\): unknown adapter; expected one of .*dynamodb-streams/);
  });
});
