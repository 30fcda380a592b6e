import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { Redis } from "ioredis";
import { startNativeRedis, type NativeRedisHandle } from "../adapters/redis-streams/redis-native-server.js";
import { readValidatedResult } from "./support/result-validator.js";
import { portOpen, runCli } from "./support/run-cli.js";
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
let authless: ChildProcess | undefined;
const alsoStarted: NativeRedisHandle[] = [];
after(async () => {
  for (const server of [redis, ...alsoStarted]) await server?.stop();
  authless?.kill("SIGKILL");
});

/** Every file of a run folder and what the run printed, each checked for `secret`. */
async function assertNowhere(secret: string, dir: string, printed: { stdout: string; stderr: string }): Promise<string[]> {
  assert.ok(!printed.stdout.includes(secret), `stdout holds the secret:\n${printed.stdout}`);
  assert.ok(!printed.stderr.includes(secret), `stderr holds the secret:\n${printed.stderr}`);
  const files = await readdir(dir);
  for (const f of files) assert.ok(!(await readFile(join(dir, f), "utf8")).includes(secret), `${f} holds the secret`);
  return files;
}

it("a password in REDIS_URL's query string reaches no output: stdout, stderr, log, result, reports", async () => {
  const out = await tempDir("secret-out");
  const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--rate", "100", "--duration", "1s", "--out", out, "--run-id", "s"], {
    env: { REDIS_URL: `redis://127.0.0.1:${redis.port}/0?password=${PASSWORD}` },
  });
  assert.equal(outcome.code, 0, `the password in the query authenticates\n${outcome.stdout}\n${outcome.stderr}`);
  assert.ok(!outcome.stdout.includes(PASSWORD) && !outcome.stderr.includes(PASSWORD), "stdout and stderr");
  const files = await assertNowhere(PASSWORD, join(out, "s"), outcome);
  assert.ok(files.includes("result.json") && files.includes("report.html") && files.includes("eventbench.log"), files.join(", "));
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

it("a server's error message quoting the password is scrubbed from errorMessages, the entry's error, the log, the reports and the terminal", async () => {
  // Mid-run the Redis on the URL's port is replaced for 3 s by one with AUTH renamed away (and a
  // password, so nothing unauthenticated is accepted): every reconnect's AUTH is answered "unknown
  // command 'auth', with args beginning with: '<password>'", the appends queued meanwhile fail
  // with NOAUTH, and the adapter adds what the server answered the reconnect. Then the first comes
  // back, so the run ends as usual (a Redis refusing every reconnect held the consumers' stop for 60 s).
  const workDir = await tempDir("quoting-redis");
  const withPassword = async (port?: number) => {
    const server = await startNativeRedis({ workDir }, port);
    alsoStarted.push(server);
    const admin = new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true });
    await admin.connect();
    await admin.config("SET", "requirepass", PASSWORD);
    admin.disconnect();
    return server;
  };
  let server = await withPassword();
  const port = server.port;
  const out = await tempDir("secret-quoted");
  let swapped: Promise<void> | undefined;
  const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--rate", "100", "--duration", "8s", "--warmup", "0s", "--out", out, "--run-id", "q"], {
    env: { REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${port}` },
    timeoutMs: 90_000,
    whileRunning: (child) => {
      child.stdout?.on("data", (d: Buffer) => {
        if (swapped || !/steady /.test(d.toString())) return;
        swapped = (async () => {
          await server.stop();
          const quoting = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--rename-command", "AUTH", "", "--requirepass", PASSWORD], { stdio: "ignore" });
          authless = quoting;
          while (!(await portOpen(port))) await new Promise((r) => setTimeout(r, 50));
          await new Promise((r) => setTimeout(r, 3_000));
          const exited = new Promise((r) => quoting.once("exit", r));
          quoting.kill("SIGTERM");
          await exited;
          server = await withPassword(port);
        })();
      });
    },
  });
  assert.ok(swapped, `the run measured before the swap\n${outcome.stdout}\n${outcome.stderr}`);
  await swapped;
  const dir = join(out, "q");
  const [entry] = (await readValidatedResult(dir)).runs;
  assert.ok(entry, `${outcome.stdout}\n${outcome.stderr}`);
  const quoted = (entry.delivery.errorMessages ?? []).find((m) => /unknown command 'auth'/i.test(m.message));
  assert.ok(quoted, `the server's message is kept: ${JSON.stringify(entry.delivery.errorMessages)}\n${outcome.stdout}\n${outcome.stderr}`);
  assert.match(quoted.message, /with args beginning with: '\*\*\*'/);
  await assertNowhere(PASSWORD, dir, outcome);
});
