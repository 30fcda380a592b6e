import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { Redis } from "ioredis";
import { startNativeRedis, type NativeRedisHandle } from "../adapters/redis-streams/redis-native-server.js";
import { readValidatedResult } from "./support/result-validator.js";
import { portOpen, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

let redis: NativeRedisHandle;
before(async () => {
  redis = await startNativeRedis({ workDir: await tempDir("ext") });
});
after(async () => {
  await redis?.stop();
});

it("--env external uses the Redis at REDIS_URL and never stops it", async () => {
  const out = await tempDir("ext-out");
  const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--rate", "200", "--duration", "2s", "--out", out, "--run-id", "ext"], {
    env: { REDIS_URL: `redis://127.0.0.1:${redis.port}` },
  });
  assert.equal(outcome.code, 0, `${outcome.stdout}\n${outcome.stderr}`);
  const result = await readValidatedResult(join(out, "ext"));
  assert.equal(result.runs[0]?.system.provider, "external");
  assert.equal(result.runs[0]?.system.endpoint, `redis://127.0.0.1:${redis.port}`);
  assert.equal(await portOpen(redis.port), true, "the external server is still running");
});

it("keeps credentials in REDIS_URL out of the output and result.json", async () => {
  const out = await tempDir("ext-secret");
  const secret = "s3cr3t-pa55";
  const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--rate", "100", "--duration", "1s", "--out", out, "--run-id", "sec"], {
    // the server has no password: the AUTH fails, and the error must still not print it
    env: { REDIS_URL: `redis://default:${secret}@127.0.0.1:${redis.port}` },
  });
  assert.ok(!outcome.stdout.includes(secret) && !outcome.stderr.includes(secret), "the password is never printed");
  const { readFile, readdir } = await import("node:fs/promises");
  for (const name of await readdir(join(out, "sec")).catch(() => [] as string[])) {
    const text = await readFile(join(out, "sec", name), "utf8").catch(() => "");
    assert.ok(!text.includes(secret), `${name} does not contain the password`);
  }
});

it("an unreachable external server is an environment error (exit 3) within seconds", async () => {
  const started = Date.now();
  const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--duration", "2s", "--out", await tempDir("ext-down")], {
    env: { REDIS_URL: "redis://127.0.0.1:1" },
  });
  assert.equal(outcome.code, 3, outcome.stderr);
  assert.match(outcome.stderr, /cannot reach redis:\/\/127\.0\.0\.1:1/);
  assert.ok(Date.now() - started < 20_000);
});

it("a stream that already carries the run's name is refused and left as it was", async () => {
  // Someone else's stream (or an earlier run with this id): a run never takes it over or deletes it.
  const name = "eventbench-taken-steady";
  const client = new Redis(`redis://127.0.0.1:${redis.port}`);
  try {
    await client.xadd(name, "*", "owner", "someone-else");
    const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--rate", "100", "--duration", "1s", "--out", await tempDir("ext-taken"), "--run-id", "taken"], {
      env: { REDIS_URL: `redis://127.0.0.1:${redis.port}` },
    });
    assert.notEqual(outcome.code, 0, outcome.stdout);
    assert.match(`${outcome.stdout}\n${outcome.stderr}`, /exists already/);
    assert.equal(await client.xlen(name), 1, "the existing stream keeps its entry");
  } finally {
    await client.del(name);
    client.disconnect();
  }
});
