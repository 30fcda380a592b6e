import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { RunEntryResult } from "../harness/result/result-schema.js";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";
import { figureValue } from "./support/workload-figures.js";

/**
 * One producer, so the only conflicts are the ones the scenario provokes: every 4th command
 * (staleness 0.25) expects one version less than the aggregate is at, and the store must reject
 * exactly those. Few aggregates, so they grow long enough to be snapshotted and rehydrated.
 */
function scenario(rate: number, duration: string, warmup: string, consumerGroups: number): string {
  return `
scenarios:
  conflicts:
    workload: event-store
    executor: constant-arrival-rate
    rate: ${rate}
    duration: ${duration}
    warmup: ${warmup}
    producers: 1
    consumerGroups: ${consumerGroups}
    keys: 8
    keyDistribution: zipf
    zipfExponent: 1.2
    eventsPerCommand: { min: 1, max: 3 }
    staleness: 0.25
    rehydrate: { every: 200ms, snapshotEvery: 10 }
thresholds:
  lost: ["count==0"]
  errors: ["rate<0.01"]
`;
}

async function run(adapter: string, yaml: string): Promise<RunEntryResult> {
  const dir = await tempDir("event-store");
  const file = join(dir, "event-store.yaml");
  await writeFile(file, yaml);
  const outcome = await runCli(["run", "--scenario", file, "--adapter", adapter, "--env", "native", "--out", dir, "--run-id", "r"], { timeoutMs: 60_000 });
  assert.equal(outcome.code, 0, `exit 0 expected\n${outcome.stdout}\n${outcome.stderr}`);
  const result = await readValidatedResult(join(dir, "r"));
  const [entry] = result.runs;
  assert.ok(entry);
  assert.equal(entry.workload, "event-store");
  return entry;
}

function assertConflictsAndRehydration(entry: RunEntryResult): void {
  const stale = figureValue(entry, "stale commands sent") as number;
  const commands = figureValue(entry, "commands") as number;
  assert.ok(stale > 0, "the scenario provoked conflicts");
  // Every 4th command is stale unless its aggregate was still empty: a quarter, give or take those.
  assert.ok(stale <= Math.ceil(commands / 4) && stale >= commands / 4 - 10, `stale ≈ commands / 4 (${stale} of ${commands})`);
  assert.equal(figureValue(entry, "conflicts"), stale, "conflicts counted = stale commands provoked, exactly");
  assert.equal(figureValue(entry, "stale commands accepted"), 0);
  assert.equal(figureValue(entry, "reloads after a conflict"), 0, "one producer never reloads");
  assert.ok(entry.delivery.conflicts >= stale, "conflicted events are at least one per conflicted command");
  assert.equal(entry.delivery.acked + entry.delivery.conflicts, entry.delivery.sent, "every event was appended or conflicted");
  assert.equal(entry.delivery.errors, 0);
  assert.ok(entry.latency.publish.count > 0, "append latency recorded");

  assert.ok((figureValue(entry, "rehydrations") as number) > 0, "aggregates were rehydrated");
  assert.equal(figureValue(entry, "rehydrations of a wrong length"), 0, "every read added up to the version the store reported");
  assert.equal(figureValue(entry, "events read back at the end"), entry.delivery.acked, "rehydrating every aggregate returns the appended length");
  assert.equal(figureValue(entry, "acknowledged events not read back"), 0);
  assert.ok((figureValue(entry, "rehydration p99") as number) > 0);
  const curve = entry.curves.find((c) => c.id === "rehydration-by-length");
  assert.ok(curve && curve.series.length === 2 && (curve.series[0]?.points.length ?? 0) > 0, "rehydration latency by aggregate length");
  for (const [length, ms] of curve.series[0]?.points ?? []) assert.ok(length >= 1 && ms > 0, `bucket ${length}: ${ms} ms`);
}

describe("event-store workload", { timeout: 120_000 }, () => {
  it("memory: counts exactly the provoked conflicts, rehydrates from snapshots, reads back every appended event", async () => {
    const entry = await run("memory", scenario(200, "2s", "0s", 1));
    assertConflictsAndRehydration(entry);
    assert.ok((figureValue(entry, "rehydrations from a snapshot") as number) > 0, "long aggregates are rehydrated from snapshots");
    assert.equal(entry.delivery.consumed, entry.delivery.acked, "the subscribing group got every appended event");
  });

  it("dynamodb-streams (DynamoDB Local): conditional writes reject exactly the stale commands", async () => {
    // DynamoDB Local sustains ~400 writes/s here: 60 commands/s of 1-3 events stays well below.
    const entry = await run("dynamodb-streams", scenario(60, "3s", "1s", 0));
    assertConflictsAndRehydration(entry);
  });

  it("postgres: the unique (stream, version) constraint rejects exactly the stale commands, over the producer's several connections", async () => {
    const entry = await run("postgres", scenario(200, "2s", "0s", 1));
    assertConflictsAndRehydration(entry);
    assert.ok((figureValue(entry, "rehydrations from a snapshot") as number) > 0, "long aggregates are read from a snapshot's version on");
    assert.equal(entry.adapterStats.conflictsStaleVersion, figureValue(entry, "conflicts"), "each conflict was a unique violation");
    assert.equal(entry.adapterStats.conflictsVersionAhead ?? 0, 0, "zero-valued stats are left out of the result");
    assert.equal(entry.delivery.consumed, entry.delivery.acked, "the subscription read every appended event");
    assert.equal(entry.delivery.outOfOrder, 0);
  });

  it("redis-streams: the harness turns the eventStore setting on for this entry, and the append script rejects exactly the stale commands", async () => {
    const entry = await run("redis-streams", scenario(200, "2s", "0s", 1));
    assertConflictsAndRehydration(entry);
    assert.equal(entry.settings.adapterSettings.eventStore, true, "the setting the workload needed is reported in the result");
    assert.equal(entry.capabilities.optimisticConcurrency, true);
    assert.equal(entry.delivery.consumed, entry.delivery.acked, "the consumer group read every appended event from the main stream");
  });

  it("redis-streams with eventStore: false set in the scenario: refused, naming the capability and the setting that gives it", async () => {
    const dir = await tempDir("event-store-redis-off");
    const file = join(dir, "event-store.yaml");
    await writeFile(file, `adapterSettings:\n  redis-streams: { eventStore: false }\n${scenario(100, "2s", "0s", 1)}`);
    const outcome = await runCli(["run", "--scenario", file, "--adapter", "redis-streams", "--env", "native", "--out", dir]);
    assert.equal(outcome.code, 2, `exit 2 expected\n${outcome.stdout}\n${outcome.stderr}`);
    assert.match(outcome.stderr, /optimisticConcurrency.*adapter redis-streams does not have.*adapterSettings\.redis-streams\.eventStore: true gives optimisticConcurrency/);
  });

  it("kafka: refused before anything starts, naming the capability it lacks", async () => {
    const dir = await tempDir("event-store-kafka");
    const file = join(dir, "event-store.yaml");
    await writeFile(file, scenario(100, "2s", "0s", 1));
    const outcome = await runCli(["run", "--scenario", file, "--adapter", "kafka", "--env", "native", "--out", dir]);
    assert.equal(outcome.code, 2, `exit 2 (configuration) expected\n${outcome.stdout}\n${outcome.stderr}`);
    assert.match(outcome.stderr, /scenarios\.conflicts.*event-store .*optimisticConcurrency.*adapter kafka does not have/);
    assert.doesNotMatch(outcome.stdout + outcome.stderr, /kafka: started/, "no broker was started");
  });
});
