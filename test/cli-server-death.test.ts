import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, it } from "node:test";
import { startNativeRedis, type NativeRedisHandle } from "../adapters/redis-streams/redis-native-server.js";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { redisServerPids } from "./support/server-processes.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * A Redis that dies (SIGKILL) or freezes (SIGSTOP) mid-run, not as a planned fault: the entry is a
 * measured failure within seconds (errors counted, when the system stopped answering recorded,
 * exit 1), and what was measured before stays in the result. Before, the harness hung ~138 s and
 * reported 0 errors and a pass for `errors` and `lost`.
 */
const RUN = ["run", "--workload", "publish-consume", "--adapter", "redis-streams", "--rate", "300", "--duration", "120s"];
const thresholds = (e: { thresholds: { metric: string; passed: boolean }[] }) => e.thresholds.filter((t) => t.passed).map((t) => t.metric);

let external: NativeRedisHandle | undefined;
after(async () => {
  await external?.stop();
});

it("a Redis eventbench started, killed with SIGKILL mid-run: an error within seconds, errors counted, measurements kept", async () => {
  const out = await tempDir("killed");
  let killedAt = 0;
  const outcome = await runCli([...RUN, "--env", "native", "--out", out, "--run-id", "killed"], {
    timeoutMs: 90_000,
    whileRunning: (child) => {
      let port = 0;
      child.stderr?.on("data", (d: Buffer) => (port ||= Number(/redis: started redis:\/\/127\.0\.0\.1:(\d+)/.exec(d.toString())?.[1] ?? 0)));
      child.stdout?.on("data", (d: Buffer) => {
        if (killedAt || !port || !/steady 16\//.test(d.toString())) return;
        killedAt = Date.now();
        void redisServerPids(port).then((pids) => {
          assert.equal(pids.length, 1, `one redis-server on :${port}`);
          for (const pid of pids) process.kill(pid, "SIGKILL");
        });
      });
    },
  });
  assert.ok(killedAt > 0, `the run measured before the kill\n${outcome.stdout}\n${outcome.stderr}`);
  const tookS = (Date.now() - killedAt) / 1000;
  assert.equal(outcome.code, 1, outcome.stderr);
  assert.ok(tookS < 60, `the run ended ${tookS.toFixed(0)} s after the kill`);
  process.stdout.write(`# ended ${tookS.toFixed(1)} s after the kill\n`);
  assert.match(outcome.stderr, /stopped answering/);
  const result = await readValidatedResult(join(out, "killed"));
  const [entry] = result.runs;
  assert.ok(entry);
  assert.equal(entry.status, "error");
  assert.match(entry.error ?? "", /stopped answering/);
  assert.ok(entry.noAnswer, "when it stopped answering is recorded");
  assert.ok(entry.noAnswer.lastAnswerS !== null && entry.noAnswer.lastAnswerS >= 5, JSON.stringify(entry.noAnswer));
  assert.ok(entry.delivery.acked > 0 && entry.latency.publish.count > 0, "what was measured before the kill is kept");
  assert.ok(entry.delivery.errors > 0, "the appends never answered are errors");
  assert.ok(!thresholds(entry).includes("errors"), "an errors threshold does not pass");
});

it("an external Redis frozen with SIGSTOP mid-run: an error within seconds, the time it stopped answering recorded", async () => {
  external = await startNativeRedis({ workDir: await tempDir("frozen-redis") });
  const server = external;
  const out = await tempDir("frozen");
  let frozenAt = 0;
  const outcome = await runCli([...RUN, "--env", "external", "--out", out, "--run-id", "frozen"], {
    env: { REDIS_URL: `redis://127.0.0.1:${server.port}` },
    timeoutMs: 90_000,
    whileRunning: (child) => {
      child.stdout?.on("data", (d: Buffer) => {
        if (frozenAt || !/steady 16\//.test(d.toString())) return;
        frozenAt = Date.now();
        void (server.control as { pause(): Promise<void> }).pause();
      });
    },
  });
  assert.ok(frozenAt > 0, `the run measured before the freeze\n${outcome.stdout}\n${outcome.stderr}`);
  const tookS = (Date.now() - frozenAt) / 1000;
  assert.equal(outcome.code, 1, outcome.stderr);
  assert.ok(tookS < 60, `the run ended ${tookS.toFixed(0)} s after the freeze`);
  const result = await readValidatedResult(join(out, "frozen"));
  const [entry] = result.runs;
  assert.ok(entry);
  assert.equal(entry.status, "error");
  assert.ok(entry.noAnswer && entry.noAnswer.lastAnswerS !== null, JSON.stringify(entry.noAnswer));
  assert.ok(entry.noAnswer.detectedS - entry.noAnswer.lastAnswerS >= 10, "given up after the no-answer time, not before");
  assert.ok(entry.delivery.acked > 0, "what was measured before the freeze is kept");
  assert.ok(entry.delivery.errors > 0);
  assert.ok((entry.delivery.errorMessages ?? []).some((m) => /no answer within/.test(m.message)), JSON.stringify(entry.delivery.errorMessages));
  // Shown where a user looks, not only in result.json: when it stopped answering and why appends failed.
  assert.match(outcome.stdout, /✗ redis-streams steady: the system stopped answering/);
  assert.match(outcome.stdout, /redis-streams steady failed appends: [\d,]+ × no answer within/);
  const summary = await readFile(join(out, "frozen", "summary.md"), "utf8");
  assert.match(summary, /\*\*Error\*\* in redis-streams \/ steady: the system stopped answering/);
  assert.match(summary, /^- failed appends, redis-streams: [\d,]+ × no answer within/m);
  assert.match(await readFile(join(out, "frozen", "report.html"), "utf8"), /failed appends<\/strong>, by reason:<ul><li>[\d,]+ × no answer within/);
});
