import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { RunEntryResult } from "../harness/result/result-schema.js";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";
import { figureValue } from "./support/workload-figures.js";

const QUERY_RATE = 50;
const WARMUP_S = 1;
const DURATION_S = 3;

/** The same pipeline into each read model named: a Map in the projector's thread, or Redis hashes. */
function scenario(readModels: readonly string[], rate: number, header = ""): string {
  const entries = readModels.map(
    (readModel) => `  ${readModel}:
    workload: cqrs
    executor: constant-arrival-rate
    rate: ${rate}
    duration: ${DURATION_S}s
    warmup: ${WARMUP_S}s
    consumerGroups: 1
    keys: 50
    readModel: ${readModel}
    queryRate: ${QUERY_RATE}
`,
  );
  return `${header}scenarios:\n${entries.join("")}thresholds:\n  lost: ["count==0"]\n`;
}

async function run(adapters: string, yaml: string) {
  const dir = await tempDir("cqrs");
  const file = join(dir, "cqrs.yaml");
  await writeFile(file, yaml);
  const outcome = await runCli(["run", "--scenario", file, "--adapter", adapters, "--env", "native", "--out", dir, "--run-id", "r"], { timeoutMs: 90_000 });
  assert.equal(outcome.code, 0, `exit 0 expected\n${outcome.stdout}\n${outcome.stderr}`);
  return readValidatedResult(join(dir, "r"));
}

function assertProjectionAndQueries(entry: RunEntryResult): void {
  const where = `${entry.adapter} ${entry.scenario}`;
  // A cold DynamoDB Local on a loaded machine may acknowledge less than 95 % of the rate asked, and
  // so may PostgreSQL, each command waiting for its commit (one run of 100/s here, at load average
  // about 23): that is reported (target-not-held, tested in cli-target-held.test.ts); this test judges
  // the projection.
  const statuses = ["dynamodb-streams", "postgres"].includes(entry.adapter) ? ["passed", "target-not-held"] : ["passed"];
  assert.ok(statuses.includes(entry.status), `${where}: status ${entry.status}`);
  assert.equal(entry.delivery.lost, 0, `${where}: the projecting group received every event`);
  assert.equal(figureValue(entry, "events not in the read model at the end"), 0, `${where}: every command's event is visible in the read model`);
  assert.equal(figureValue(entry, "projection errors"), 0, where);

  const p50 = figureValue(entry, "projection lag p50") as number;
  const max = figureValue(entry, "projection lag max") as number;
  assert.ok(p50 !== null && p50 >= 0, `${where}: projection lag p50 ≥ 0 (${p50} ms)`);
  assert.ok(max >= p50 && max < 2_000, `${where}: projection lag bounded (max ${max} ms)`);
  assert.equal(figureValue(entry, "projection lag samples lost"), 0, where);
  const lagCurve = entry.curves.find((c) => c.id === "projection-lag");
  assert.ok((lagCurve?.series[0]?.points.length ?? 0) > 0, `${where}: projection lag distribution`);

  const queries = figureValue(entry, "queries") as number;
  const expected = QUERY_RATE * (WARMUP_S + DURATION_S);
  assert.ok(Math.abs(queries - expected) <= expected * 0.05, `${where}: queries ≈ queryRate × duration (${queries} vs ${expected})`);
  assert.equal(figureValue(entry, "query errors"), 0, where);
  assert.ok((figureValue(entry, "query p99") as number) > 0, where);
  const ryw = figureValue(entry, "read-your-writes queries") as number;
  const misses = figureValue(entry, "read-your-writes misses") as number;
  // Queries before the first acknowledged command have nothing to read back: on a cold DynamoDB
  // Local on a loaded 2-core machine that was up to the first ~1.8 s of the 4 s run (155 of 200
  // read back). What is checked is that queries do read commands back, not how soon a cold server
  // acknowledges its first one.
  assert.ok(ryw > queries * 0.5, `${where}: nearly every query reads back a command (${ryw} of ${queries})`);
  assert.ok(misses >= 0 && misses <= ryw, where);
  assert.equal(figureValue(entry, "misses never seen"), 0, `${where}: every missed command showed up`);
  if (misses > 0) assert.ok((figureValue(entry, "staleness p99") as number) >= 0, where);
}

describe("cqrs workload", { timeout: 120_000 }, () => {
  it("memory and redis-streams, into an in-process map and into Redis hashes: projection lag, queries at their rate, read-your-writes", async () => {
    const result = await run("memory,redis-streams", scenario(["in-process-map", "redis-hash"], 200));
    assert.deepEqual(
      result.runs.map((r) => `${r.adapter}/${r.scenario}`),
      ["memory/in-process-map", "memory/redis-hash", "redis-streams/in-process-map", "redis-streams/redis-hash"],
    );
    for (const entry of result.runs) assertProjectionAndQueries(entry);
    // The memory adapter has no Redis of its own: the harness started one for the read model, and stopped it.
    assert.deepEqual(result.environment.services.map((s) => s.kind), ["redis"]);
  });

  it("postgres with notify: the projector's subscription wakes on LISTEN/NOTIFY, not its (here 5 s) poll", async () => {
    const result = await run("postgres", scenario(["in-process-map"], 100, "adapterSettings:\n  postgres: { notify: true, pollIntervalMs: 5000 }\n"));
    const [entry] = result.runs;
    assert.ok(entry);
    assert.equal(entry.settings.adapterSettings.notify, true);
    assertProjectionAndQueries(entry);
    // A poll every 5 s could not keep the projection within the 2 s assertProjectionAndQueries allows.
    assert.ok((figureValue(entry, "projection lag p50") as number) < 1_000, `projection lag p50 ${figureValue(entry, "projection lag p50")} ms`);
  });

  it("dynamodb-streams (DynamoDB Local): the projector reads the table's stream through the shard leases", async () => {
    const result = await run("dynamodb-streams", scenario(["in-process-map"], 100));
    const [entry] = result.runs;
    assert.ok(entry);
    assertProjectionAndQueries(entry);
    // The stream is polled: the projection trails the acknowledgement by a poll or more.
    assert.ok((figureValue(entry, "projection lag p50") as number) > 0, "DynamoDB Streams' projection lag is above 0");
  });
});
