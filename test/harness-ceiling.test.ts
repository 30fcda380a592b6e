import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { thisMachine, type HarnessCeiling } from "../harness/measurement/harness-ceiling.js";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

async function runWithCeiling(ceiling: HarnessCeiling) {
  const cache = await tempDir("ceiling-cache");
  await mkdir(cache, { recursive: true });
  await writeFile(join(cache, "harness-ceiling.json"), JSON.stringify(ceiling));
  const out = await tempDir("ceiling");
  const outcome = await runCli(["run", "-a", "redis-streams", "--workload", "publish-consume", "--rate", "500", "--duration", "2s", "--env", "native", "--out", out, "--run-id", "c"], { env: { EVENTBENCH_CACHE_DIR: cache } });
  assert.equal(outcome.code, 0, `${outcome.stdout}\n${outcome.stderr}`);
  const [entry] = (await readValidatedResult(join(out, "c"))).runs;
  assert.ok(entry);
  return { entry, stdout: outcome.stdout };
}

describe("the harness's ceiling beside every run", () => {
  it("a run near the ceiling bench:harness saved for this machine records its share and is flagged", async () => {
    const { entry, stdout } = await runWithCeiling({ measuredAt: "2026-12-02", machine: thisMachine(), eventsPerSecond: 600, threads: 2, measurementNsPerEvent: 240 });
    const c = entry.harness.ceiling;
    assert.ok(c && c.eventsPerSecond === 600 && c.measuredAt === "2026-12-02");
    assert.ok(Math.abs(c.share - entry.throughput.acked / 600) < 0.001, `share ${c.share} of acked ${entry.throughput.acked}/s`);
    assert.ok(entry.harness.warnings.some((w) => w.startsWith("near the harness's own ceiling")), entry.harness.warnings.join("; "));
    assert.match(stdout, /% of its ceiling here/);
  });

  it("a ceiling measured on another machine is not used", async () => {
    const { entry } = await runWithCeiling({ measuredAt: "2026-12-02", machine: "another CPU × 64, Node.js v99", eventsPerSecond: 600, threads: 2, measurementNsPerEvent: 240 });
    assert.equal(entry.harness.ceiling, undefined);
    assert.ok(!entry.harness.warnings.some((w) => w.startsWith("near the harness's own ceiling")));
  });
});
