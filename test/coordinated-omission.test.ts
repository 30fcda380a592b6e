import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { closeRedis, connectRedis } from "../adapters/redis-streams/redis-connection.js";
import { startNativeRedis, type NativeRedisHandle } from "../adapters/redis-streams/redis-native-server.js";
import type { RunEntryResult } from "../harness/result/result-schema.js";
import { runSuite } from "../harness/runtime/run-suite.js";
import { validateScenario } from "../harness/scenario/load-scenario.js";
import { resolvePlan } from "../harness/scenario/run-plan.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * The server stalls for a known time (DEBUG SLEEP) in the middle of a constant-rate run. Open
 * loop, every event due during the stall waits for its end, so their latencies spread evenly over
 * 0..D and the run's p99 is D minus the time the top 1% of events span; closed loop, one request
 * sees the stall and the rest of the run hides it (coordinated omission).
 */
const RATE = 1000;
const DURATION_S = 4;
const STALL_S = 0.5;

let redis: NativeRedisHandle;
before(async () => {
  redis = await startNativeRedis({ workDir: await tempDir("co") });
  process.env.REDIS_URL = `redis://127.0.0.1:${redis.port}`;
});
after(async () => {
  delete process.env.REDIS_URL;
  await redis?.stop();
});

/** Runs one scenario on redis-streams, stalling the server for STALL_S after the first second. */
async function runWithStall(scenario: Record<string, unknown>): Promise<{ entry: RunEntryResult; stallS: number }> {
  const file = validateScenario({ adapters: ["redis-streams"], env: "external", scenarios: { co: scenario } }, "co-test");
  const plan = resolvePlan(file, "co-test", {});
  const staller = await connectRedis(process.env.REDIS_URL as string);
  let stall: Promise<number> | undefined;
  const result = await runSuite({
    plan,
    runId: `co-${Date.now()}`,
    runDir: await tempDir("co-run"),
    signal: new AbortController().signal,
    hooks: {
      note: () => {},
      onInterval: (_adapter, _w, point) => {
        if (point.t === 1 && !stall) {
          const started = performance.now();
          stall = staller.sendCommand(["DEBUG", "SLEEP", String(STALL_S)]).then(() => (performance.now() - started) / 1000);
        }
      },
    },
  });
  const stallS = await (stall ?? Promise.reject(new Error("the stall was never triggered")));
  await closeRedis(staller);
  const entry = result.runs[0];
  assert.ok(entry && entry.status !== "error", entry?.error);
  return { entry, stallS };
}

describe("coordinated omission", { timeout: 60_000 }, () => {
  it("open loop: the reported p99 reflects the stall as the arithmetic predicts", async () => {
    const { entry, stallS } = await runWithStall({
      executor: "constant-arrival-rate",
      rate: RATE,
      duration: `${DURATION_S}s`,
      consumerGroups: 0,
    });
    const total = RATE * DURATION_S;
    assert.ok(entry.latency.publish.count >= total * 0.99, "every scheduled event measured");
    // Top 1% of all events = the events due in the first (0.01·total/RATE) s of the stall.
    const expectedP99Ms = (stallS - (0.01 * total) / RATE) * 1000;
    const p99 = entry.latency.publish.p99;
    assert.ok(Math.abs(p99 - expectedP99Ms) < 60, `p99 ${p99} ms ≈ ${expectedP99Ms.toFixed(0)} ms predicted from a ${(stallS * 1000).toFixed(0)} ms stall`);
    assert.ok(entry.latency.publish.max >= stallS * 1000 * 0.9, `max ${entry.latency.publish.max} ms ≈ the stall`);
  });

  it("closed loop: the same stall hides behind one slow request", async () => {
    const { entry, stallS } = await runWithStall({
      executor: "constant-vus",
      vus: 1,
      duration: `${DURATION_S}s`,
      consumerGroups: 0,
    });
    assert.equal(entry.mode, "closed-loop");
    assert.ok(entry.latency.publish.max >= stallS * 1000 * 0.9, "the one request that met the stall saw it");
    assert.ok(entry.latency.publish.p99 < stallS * 1000 * 0.1, `p99 ${entry.latency.publish.p99} ms shows nothing of a ${stallS * 1000} ms stall`);
  });
});
