import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { RunEntryResult } from "../harness/result/result-schema.js";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";
import { figureValue } from "./support/workload-figures.js";

async function run(adapters: string, yaml: string, expectCode = 0) {
  const dir = await tempDir("flow");
  const file = join(dir, "scenario.yaml");
  await writeFile(file, yaml);
  const outcome = await runCli(["run", "--scenario", file, "--adapter", adapters, "--env", "native", "--out", dir, "--run-id", "r"], { timeoutMs: 150_000 });
  assert.equal(outcome.code, expectCode, `exit ${expectCode} expected\n${outcome.stdout}\n${outcome.stderr}`);
  return { outcome, result: expectCode === 2 ? null : await readValidatedResult(join(dir, "r")) };
}

function assertBacklogDrained(e: RunEntryResult, backlog: number, statuses: readonly RunEntryResult["status"][] = ["passed"]): void {
  const where = `${e.adapter} backlog-drain`;
  assert.ok(statuses.includes(e.status), `${where}: status ${e.status}, expected ${statuses.join(" or ")} ${e.error ?? ""}`);
  assert.equal(figureValue(e, "backlog"), backlog, `${where}: the whole backlog was acknowledged before the consumers started`);
  assert.equal(e.timeseries.filter((p) => p.phase !== "drain").reduce((a, p) => a + p.consumed, 0), 0, `${where}: nothing consumed while producing`);
  assert.equal(figureValue(e, "drained"), 1, `${where}: drained to zero`);
  assert.equal(e.delivery.consumed, backlog);
  assert.equal(e.delivery.lost, 0);
  const seconds = figureValue(e, "time to zero lag") as number;
  assert.ok(seconds > 0, `${where}: time to zero lag ${seconds} s`);
  const rate = figureValue(e, "catch-up rate") as number;
  assert.ok(Math.abs(rate * seconds - backlog) <= backlog * 0.01, `${where}: catch-up rate × time = backlog (${rate} × ${seconds})`);
  const curve = e.curves.find((c) => c.id === "catch-up")?.series[0]?.points ?? [];
  assert.deepEqual(curve[0], [0, backlog]);
  assert.equal(curve.at(-1)?.[1], 0, `${where}: the catch-up curve ends at zero`);
  // The curve counts events, so it falls no faster than the consumers read and reaches zero when
  // the harness saw the lag reach zero (both found at 0.05 s steps).
  assert.ok(curve.every(([, y], i) => i === 0 || y <= (curve[i - 1]?.[1] ?? Infinity)), `${where}: the catch-up curve never rises`);
  const firstZero = curve.find(([, y]) => y === 0)?.[0] ?? Infinity;
  assert.ok(Math.abs(firstZero - seconds) <= 0.06, `${where}: the curve reaches zero at ${firstZero} s, time to zero lag is ${seconds} s`);
}

/**
 * A lag the system reports follows it around the backlog: asked at every reading from set-up on,
 * it is known while the backlog builds with consumers stopped (Kafka's first reading may come
 * before its first answer; a slow system may build in one reading), never above the backlog, and
 * known at every drain reading down to zero once the consumers stopped.
 */
function assertSystemLagFollowed(e: RunEntryResult, backlog: number): void {
  if (e.consumerLag.source !== "system") return;
  const where = `${e.adapter} backlog-drain lag`;
  const building = e.timeseries.filter((p) => p.phase !== "drain").map((p) => p.lagEvents);
  const draining = e.timeseries.filter((p) => p.phase === "drain").map((p) => p.lagEvents);
  assert.ok(
    building.slice(1).every((v) => v !== null),
    `${where}: known at every reading while the backlog built (the first may be unknown): ${building.join(", ")}`,
  );
  assert.ok(
    draining.every((v) => v !== null),
    `${where}: known at every reading of the drain: ${draining.join(", ")}`,
  );
  assert.ok(
    [...building, ...draining].every((v) => v === null || (v >= 0 && v <= backlog)),
    `${where}: between 0 and the backlog ${backlog}: ${building.join(", ")} | ${draining.join(", ")}`,
  );
  assert.equal(draining.at(-1), 0, `${where}: zero once the consumers stopped, as the system says (drain readings ${draining.join(", ")})`);
}

describe("fan-out, backlog-drain and max-throughput workloads", { timeout: 300_000 }, () => {
  it("fan-out: three groups each read everything, with per-group latency and lag", async () => {
    const { result } = await run(
      "memory,redis-streams",
      `scenarios:
  fan:
    workload: fan-out
    executor: constant-arrival-rate
    rate: 200
    duration: 3s
    warmup: 1s
    consumerGroups: 3
thresholds:
  lost: ["count==0"]
`,
    );
    for (const e of result?.runs ?? []) {
      assert.equal(e.status, "passed", e.adapter);
      assert.deepEqual(Object.keys(e.delivery.byGroup), ["group-1", "group-2", "group-3"]);
      for (const [g, c] of Object.entries(e.delivery.byGroup)) {
        assert.equal(c.consumed, e.delivery.sent, `${e.adapter} ${g} read every event`);
        assert.ok((figureValue(e, `${g} end-to-end p99`) as number) > 0, `${e.adapter} ${g} p99`);
        assert.notEqual(figureValue(e, `${g} lag max`), undefined);
      }
      assert.ok((figureValue(e, "worst / best group p99") as number) >= 1);
      assert.equal(e.curves.find((c) => c.id === "latency-by-group")?.series[1]?.points.length, 3);
    }
  });

  it("backlog-drain on memory and redis-streams: the backlog is built with consumers stopped, then drained to zero", async () => {
    const { result } = await run(
      "memory,redis-streams",
      `scenarios:
  catch-up:
    workload: backlog-drain
    executor: constant-arrival-rate
    rate: 2000
    backlog: 5000
`,
    );
    for (const e of result?.runs ?? []) {
      assertBacklogDrained(e, 5000);
      assertSystemLagFollowed(e, 5000);
    }
  });

  it("backlog-drain on a system slower than the produce rate still builds the whole backlog before the consumers start", async () => {
    // 1000 events/s accepted one append at a time (maxVUs 1), 2000/s scheduled: the schedule's end
    // comes with about half of it unsent; the producers finish it before the consumers start, so the
    // backlog is the one asked for.
    const { result } = await run(
      "memory",
      `adapterSettings:
  memory: { capacityPerSecond: 1000 }
scenarios:
  catch-up:
    workload: backlog-drain
    executor: constant-arrival-rate
    rate: 2000
    maxVUs: 1
    backlog: 2000
`,
    );
    // The system is slower than the rate asked: the entry says, truly, that its target was not held.
    for (const e of result?.runs ?? []) {
      assertBacklogDrained(e, 2000, ["target-not-held"]);
      assertSystemLagFollowed(e, 2000);
    }
  });

  it("backlog-drain on Kafka and DynamoDB Local: consumers joining late read the backlog from its start", async () => {
    const { result } = await run(
      "kafka,dynamodb-streams",
      `scenarios:
  catch-up:
    workload: backlog-drain
    executor: constant-arrival-rate
    rate: 300
    backlog: 900
    drainTimeout: 60s
`,
    );
    assert.deepEqual(result?.runs.map((e) => e.adapter), ["kafka", "dynamodb-streams"]);
    // DynamoDB Local on a loaded 2-core machine may acknowledge less than 95 % of 300/s while it
    // builds the backlog: that is reported (target-not-held); what is checked here is the drain.
    for (const e of result?.runs ?? []) {
      assertBacklogDrained(e, 900, ["passed", "target-not-held"]);
      assertSystemLagFollowed(e, 900);
    }
  });

  it("max-throughput stops at the step where the injected limit sits", async () => {
    // A memory adapter that accepts 300 events/s: the steps 60, 120, 240 hold, 480 breaks.
    const { result } = await run(
      "memory",
      `adapterSettings:
  memory: { capacityPerSecond: 300 }
scenarios:
  search:
    workload: max-throughput
    executor: constant-arrival-rate
    rate: 60
    steps: { factor: 2, stepDuration: 3s, maxSteps: 6 }
`,
    );
    const e = result?.runs[0] as RunEntryResult;
    assert.equal(figureValue(e, "highest sustainable rate"), 240);
    assert.equal(figureValue(e, "first unsustainable rate"), 480);
    assert.equal(figureValue(e, "steps run"), 4, "the search stopped at the first broken step");
    // The step broke on the injected capacity: about 300/s acknowledged (299 is as likely as 301).
    const broke = /acknowledged (\d+)\/s of 480\/s/.exec(e.figures.find((f) => f.name === "first unsustainable rate")?.description ?? "");
    assert.ok(broke && Math.abs(Number(broke[1]) - 300) <= 15, `broke at the injected 300/s: ${broke?.[0]}`);
    const lastSteady = e.timeseries.filter((p) => p.phase === "steady").at(-1)?.t ?? 0;
    assert.ok(lastSteady <= 12.5, `producing stopped after the fourth step (last steady second ${lastSteady}), not at the schedule's end (18 s)`);
    const curve = e.curves.find((c) => c.id === "rate-latency")?.series.find((s) => s.name === "publish p99")?.points ?? [];
    assert.deepEqual(curve.map(([x]) => x), [60, 120, 240, 480]);
    assert.ok((curve[3]?.[1] ?? 0) > (curve[0]?.[1] ?? 0) * 10, "past the limit, the queue shows in p99");
  });

  it("runs an OpenMessaging Benchmark workload file as it is, and records what it could not honour", async () => {
    const { outcome, result } = await run(
      "memory",
      "name: omb test\ntopics: 2\npartitionsPerTopic: 4\nmessageSize: 100\nsubscriptionsPerTopic: 2\nproducersPerTopic: 1\nconsumerPerSubscription: 1\nproducerRate: 200\ntestDurationMinutes: 0.05\nwarmupDurationMinutes: 0\n",
    );
    assert.match(outcome.stderr + outcome.stdout, /note: topics not honoured/);
    assert.ok(result?.notes?.some((n) => /topics not honoured/.test(n)));
    const e = result?.runs[0] as RunEntryResult;
    assert.equal(e.workload, "fan-out");
    assert.equal(e.settings.payloadSize, 100);
    assert.equal(e.settings.partitions, 4);
    assert.equal(e.status, "passed");
  });

  it("refuses fan-out with one group and backlog-drain with a duration, naming the field", async () => {
    const fan = await run("memory", `scenarios:\n  f:\n    workload: fan-out\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n`, 2);
    assert.match(fan.outcome.stderr, /scenarios\.f\.consumerGroups: fan-out reads one stream with several independent groups; expected 2 or more, got 1/);
    const drain = await run("memory", `scenarios:\n  d:\n    workload: backlog-drain\n    executor: constant-arrival-rate\n    rate: 10\n    backlog: 10\n    duration: 1s\n`, 2);
    assert.match(drain.outcome.stderr, /scenarios\.d\.duration: backlog-drain takes its produce time from backlog \/ rate/);
  });
});
