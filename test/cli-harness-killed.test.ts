import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { describe, it } from "node:test";
import { CLI, portOpen, REPO_ROOT, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";
import { pidsWithArgs } from "./support/server-processes.js";

/** `eventbench env up`, resolved once every server listens: its ports by service. */
async function envUp(services: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; ports: Record<string, number> }> {
  const child = spawn(process.execPath, [CLI, "env", "up", "--env", "native", "--services", services, "--out", await tempDir("env-up")], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`env up did not come up within 120 s\n${stdout}\n${stderr}`)), 120_000);
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("servers are up")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`env up exited (${code})\n${stdout}\n${stderr}`)));
  });
  const ports: Record<string, number> = {};
  for (const m of stdout.matchAll(/^(\w+)\s+\S*?127\.0\.0\.1:(\d+)/gm)) ports[m[1] as string] = Number(m[2]);
  return { child, ports };
}

async function closedWithin(port: number, ms: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (!(await portOpen(port))) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

describe("servers die with the harness however it dies", () => {
  it("SIGKILL of the harness: the watchdog stops redis-server and the Kafka broker it started", async () => {
    const { child, ports } = await envUp("redis,kafka");
    assert.ok(ports.redis && ports.kafka, JSON.stringify(ports));
    assert.equal(await portOpen(ports.redis), true);
    child.kill("SIGKILL");
    const redisMs = await closedWithin(ports.redis, 20_000);
    const kafkaMs = await closedWithin(ports.kafka, 30_000);
    assert.ok(redisMs !== null, "redis-server stopped");
    assert.ok(kafkaMs !== null, "the Kafka broker stopped");
  });

  it("SIGHUP of a run (terminal closed): the run stops its server, as for Ctrl-C", async () => {
    const out = await tempDir("hup");
    let port = 0;
    const outcome = await runCli(["run", "--workload", "publish-consume", "--adapter", "redis-streams", "--rate", "100", "--duration", "60s", "--env", "native", "--out", out, "--run-id", "hup"], {
      whileRunning: (c) => {
        c.stderr?.on("data", (d: Buffer) => (port ||= Number(/redis: started redis:\/\/127\.0\.0\.1:(\d+)/.exec(d.toString())?.[1] ?? 0)));
        c.stdout?.on("data", (d: Buffer) => {
          if (/steady 6\//.test(d.toString())) c.kill("SIGHUP");
        });
      },
    });
    assert.equal(outcome.signal, null, "the run handled SIGHUP instead of dying of it");
    assert.match(outcome.stderr, /SIGHUP: stopping the load/);
    assert.ok(port > 0);
    assert.equal(await portOpen(port), false);
  });

  it("a server whose harness and watchdog were both killed is listed by env status and stopped by env down", async () => {
    const cache = { EVENTBENCH_CACHE_DIR: await tempDir("leftover-cache") };
    const { child, ports } = await envUp("redis", cache);
    assert.ok(ports.redis);
    for (const pid of await pidsWithArgs("eventbench-watchdog", String(child.pid))) process.kill(pid, "SIGKILL");
    child.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(await portOpen(ports.redis), true, "with its watchdog gone, the server is left running");
    const status = await runCli(["env", "status", "--services", "redis", "--env", "native"], { env: cache });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`left running by an eventbench that is gone[\\s\\S]*redis-server :${ports.redis}  pid \\d+.*stop: kill -TERM -\\d+`));
    const down = await runCli(["env", "down"], { env: cache });
    assert.match(down.stdout, new RegExp(`stopped redis-server :${ports.redis}`));
    assert.equal(await portOpen(ports.redis), false);
    const after = await runCli(["env", "status", "--services", "redis", "--env", "native"], { env: cache });
    assert.doesNotMatch(after.stdout, /left running/);
  });
});
