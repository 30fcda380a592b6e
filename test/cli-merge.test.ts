import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { decodeHistogram } from "../harness/measurement/latency-histogram.js";
import { startNativeRedis, type NativeRedisHandle } from "../adapters/redis-streams/redis-native-server.js";
import { mergeRuns } from "../harness/result/run-merge.js";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * Load beyond one process, shown on loopback: worker processes drive one Redis together (as
 * Kubernetes Indexed Job pods would drive one cluster), then `eventbench merge` combines them.
 */
let redis: NativeRedisHandle;
before(async () => {
  redis = await startNativeRedis({ workDir: await tempDir("merge-redis") });
});
after(async () => {
  await redis?.stop();
});

it("merges concurrent workers exactly: counts summed, histograms added, timelines aligned", async () => {
  const out = await tempDir("merge");
  const workers = ["worker-0", "worker-1", "worker-2"];
  const outcomes = await Promise.all(
    workers.map((id) =>
      runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--rate", "200", "--duration", "4s", "--out", out, "--run-id", id], {
        env: { REDIS_URL: `redis://127.0.0.1:${redis.port}` },
      }),
    ),
  );
  for (const o of outcomes) assert.equal(o.code, 0, o.stdout + o.stderr);
  const parts = await Promise.all(workers.map((id) => readValidatedResult(join(out, id))));

  const merged = await runCli(["merge", ...workers.map((id) => join(out, id)), "--out", out, "--run-id", "merged"]);
  assert.equal(merged.code, 0, merged.stdout + merged.stderr);
  const result = await readValidatedResult(join(out, "merged"));
  const [entry] = result.runs;
  assert.ok(entry);
  type Entry = (typeof result.runs)[number];
  const entries = parts.map((p) => p.runs[0] as Entry);
  const total = (f: (e: Entry) => number) => entries.reduce((a, e) => a + f(e), 0);

  assert.deepEqual(result.workers?.map((w) => w.runId), workers);
  assert.equal(entry.delivery.sent, total((e) => e.delivery.sent));
  assert.equal(entry.delivery.consumed, total((e) => e.delivery.consumed));
  assert.equal(entry.delivery.lost, 0);
  assert.equal(entry.latency.publish.count, total((e) => e.latency.publish.count), "histograms added, not averaged");
  assert.equal(entry.latency.endToEnd.count, total((e) => e.latency.endToEnd.count));
  assert.ok(entry.latency.publish.max >= Math.max(...entries.map((e) => e.latency.publish.max)) - 0.01);
  const decoded = decodeHistogram(entry.histograms.publish as string);
  assert.equal(decoded.totalCount, entry.latency.publish.count, "the encoded histogram is the merged one");
  decoded.destroy();
  assert.ok(Math.abs(entry.throughput.acked - 600) < 60, `three workers at 200/s ≈ 600/s (got ${entry.throughput.acked})`);

  // The workers' seconds line up on their wall-clock t0s: one merged point per second, not three.
  // Started at once they still set up at different speeds on a busy machine: the merged steady
  // state spans the 4 s plus however far apart their t0s fell.
  const t0s = entries.map((e) => Date.parse(e.t0 as string));
  const spreadS = (Math.max(...t0s) - Math.min(...t0s)) / 1000;
  const steady = entry.timeseries.filter((p) => p.phase === "steady");
  assert.ok(steady.length >= 3 && steady.length <= 6 + Math.ceil(spreadS), `${steady.length} steady points with t0s ${spreadS} s apart`);
  const mid = steady[1] as (typeof steady)[number];
  assert.ok(mid.targetRate > 550 && mid.targetRate < 650, `target summed (${mid.targetRate})`);
  assert.ok(mid.publishP99 !== null && mid.publishP99 > 0, "per-second p99 from the added interval histograms");
  assert.match(result.environment.clock, /never across hosts/);
  assert.ok(entry.thresholds.length > 0 && entry.thresholds.every((t) => t.passed), "thresholds evaluated on the merged data");
  assert.match(merged.stdout, /report: .*merged.*report\.html/);
  assert.equal(entry.noAnswer, undefined);

  // One worker's system stopped answering: the merged entry carries it, on the merged timeline.
  const silent = structuredClone(parts[1]) as (typeof parts)[number];
  const silentEntry = silent.runs[0] as Entry;
  silentEntry.noAnswer = { lastAnswerS: 2, detectedS: 3, waiting: 7 };
  const withSilence = await mergeRuns(
    workers.map((id, i) => ({ dir: join(out, id), result: i === 1 ? silent : (parts[i] as (typeof parts)[number]) })),
    "merged-silent",
  );
  const mergedEntry = withSilence.runs[0] as Entry;
  const offsetS = (Date.parse(silentEntry.t0 as string) - Date.parse(mergedEntry.t0 as string)) / 1000;
  assert.deepEqual(mergedEntry.noAnswer, { lastAnswerS: 2 + offsetS, detectedS: 3 + offsetS, waiting: 7 });
});

it("refuses to merge results of different scenarios, naming them", async () => {
  const out = await tempDir("merge-bad");
  const a = await runCli(["run", "--workload", "publish-consume", "--adapter", "memory", "--rate", "100", "--duration", "1s", "--out", out, "--run-id", "a"]);
  assert.equal(a.code, 0, a.stderr);
  const b = await runCli(["run", "--adapter", "memory", "--scenario", "scenarios/two-members.yaml", "--rate", "100", "--duration", "1s", "--out", out, "--run-id", "b"]);
  assert.equal(b.code, 0, b.stderr);
  const outcome = await runCli(["merge", join(out, "a"), join(out, "b"), "--out", out]);
  assert.equal(outcome.code, 2);
  assert.match(outcome.stderr, /scenario "two-members" differs from "quickstart"/);
});
