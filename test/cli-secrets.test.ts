import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { Redis } from "ioredis";
import { startNativeRedis, type NativeRedisHandle } from "../adapters/redis-streams/redis-native-server.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

const PASSWORD = "q7-never-printed-Zx";
let redis: NativeRedisHandle;
before(async () => {
  redis = await startNativeRedis({ workDir: await tempDir("secret-redis") });
  const admin = new Redis({ port: redis.port, host: "127.0.0.1", lazyConnect: true });
  await admin.connect();
  await admin.config("SET", "requirepass", PASSWORD);
  admin.disconnect();
});
after(async () => {
  await redis?.stop();
});

it("a password in REDIS_URL's query string reaches no output: stdout, stderr, log, result, reports", async () => {
  const out = await tempDir("secret-out");
  const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--rate", "100", "--duration", "1s", "--out", out, "--run-id", "s"], {
    env: { REDIS_URL: `redis://127.0.0.1:${redis.port}/0?password=${PASSWORD}` },
  });
  assert.equal(outcome.code, 0, `the password in the query authenticates\n${outcome.stdout}\n${outcome.stderr}`);
  assert.ok(!outcome.stdout.includes(PASSWORD) && !outcome.stderr.includes(PASSWORD), "stdout and stderr");
  const files = await readdir(join(out, "s"));
  assert.ok(files.includes("result.json") && files.includes("report.html") && files.includes("eventbench.log"), files.join(", "));
  for (const f of files) assert.ok(!(await readFile(join(out, "s", f), "utf8")).includes(PASSWORD), `${f} holds the password`);
  assert.match(await readFile(join(out, "s", "result.json"), "utf8"), /password=\*\*\*/);
});

it("a wrong password is an environment error (exit 3) that says authentication failed, and prints no password", async () => {
  const wrong = "wrong-pw-Qk4";
  const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--rate", "100", "--duration", "1s", "--out", await tempDir("secret-wrong")], {
    env: { REDIS_URL: `redis://default:${wrong}@127.0.0.1:${redis.port}` },
  });
  assert.equal(outcome.code, 3, `${outcome.stdout}\n${outcome.stderr}`);
  assert.match(`${outcome.stdout}\n${outcome.stderr}`, /authentication failed/);
  assert.ok(!`${outcome.stdout}${outcome.stderr}`.includes(wrong), "the wrong password is not printed either");
});
