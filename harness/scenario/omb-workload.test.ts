import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tempDir } from "../../test/support/temp-dir.js";
import { ConfigError } from "../errors/errors.js";
import { loadScenarioFile } from "./load-scenario.js";
import { resolvePlan, type RunFlags } from "./run-plan.js";

async function plan(yaml: string, flags: RunFlags = {}) {
  const path = join(await tempDir("omb"), "workload.yaml");
  await writeFile(path, yaml);
  return resolvePlan(await loadScenarioFile(path), path, flags);
}

const BASE = "name: w\ntopics: 1\npartitionsPerTopic: 16\nmessageSize: 1024\nproducersPerTopic: 2\nconsumerPerSubscription: 1\ntestDurationMinutes: 2\nwarmupDurationMinutes: 1\n";

describe("OpenMessaging Benchmark workload files", () => {
  it("a fixed rate and one subscription is publish-consume, with OMB's sizes, partitions, producers and durations", async () => {
    const p = await plan(`${BASE}subscriptionsPerTopic: 1\nproducerRate: 5000\n`);
    const [w] = p.workloads;
    assert.equal(w?.workload, "publish-consume");
    assert.equal(w?.targetRate, 5000);
    assert.equal(w?.payloadSize, 1024);
    assert.equal(w?.partitions, 16);
    assert.equal(w?.producers, 2);
    assert.equal(w?.warmupS, 60);
    assert.equal(w?.durationS, 120);
    assert.match(p.notes.join("\n"), /keyDistributor NO_KEY mapped to 1000 keys/);
  });

  it("several subscriptions are fan-out; producerRate 0 is the max-rate search; a backlog is backlog-drain", async () => {
    assert.equal((await plan(`${BASE}subscriptionsPerTopic: 3\nproducerRate: 100\n`)).workloads[0]?.consumerGroups, 3);
    assert.equal((await plan(`${BASE}subscriptionsPerTopic: 3\nproducerRate: 100\n`)).workloads[0]?.workload, "fan-out");
    const search = (await plan(`${BASE}subscriptionsPerTopic: 1\nproducerRate: 0\n`)).workloads[0];
    assert.equal(search?.workload, "max-throughput");
    assert.ok((search?.maxThroughput?.steps.length ?? 0) > 1);
    const drain = (await plan(`${BASE}subscriptionsPerTopic: 1\nproducerRate: 1000\nconsumerBacklogSizeGB: 0.001\n`)).workloads[0];
    assert.equal(drain?.workload, "backlog-drain");
    assert.equal(drain?.backlogDrain?.backlog, Math.round((0.001 * 2 ** 30) / 1024));
  });

  it("--duration bounds the max-rate search, --rate moves its steps and the notes say the plan's rate, --warmup replaces OMB's warm-up", async () => {
    const search = `${BASE}subscriptionsPerTopic: 1\nproducerRate: 0\n`;
    const bounded = await plan(search, { duration: "30s" });
    const w = bounded.workloads[0];
    assert.equal(w?.maxThroughput?.steps.length, 3, "three 10 s steps fit 30 s");
    assert.equal(w?.durationS, 30);
    assert.match(bounded.notes.join("\n"), /3 step\(s\) of 10 s to fit --duration 30 s \(the file says 20 of 10s\)/);
    const short = (await plan(search, { duration: "4s" })).workloads[0];
    assert.deepEqual(short?.maxThroughput?.steps.map((s) => s.endS - s.startS), [4], "one step as long as --duration");
    await assert.rejects(plan(search, { duration: "1s" }), (e: unknown) => e instanceof ConfigError && /--duration: .*max-throughput search.*at least 2s/.test(e.message));

    const moved = await plan(search, { rate: 500 });
    assert.equal(moved.workloads[0]?.maxThroughput?.steps[0]?.rate, 500);
    const notes = moved.notes.join("\n");
    assert.doesNotMatch(notes, /from 1000\/s/, "no note names the file's start rate as the plan's");
    assert.match(notes, /rate 500\/s from --rate \(the file says 1000\/s\); the steps start there/);

    const warm = await plan(`${BASE}subscriptionsPerTopic: 1\nproducerRate: 100\n`, { warmup: "0s", duration: "2s" });
    assert.equal(warm.workloads[0]?.warmupS, 0, "OMB's 60 s warm-up shortened from the command line");
    assert.equal(warm.workloads[0]?.stages.length, 1);
    assert.match(warm.notes.join("\n"), /warm-up 0s from --warmup \(the file says 60s\)/);
  });

  it("says which fields it could not honour", async () => {
    const p = await plan(`${BASE}topics: 4\npayloadFile: payload/payload-1Kb.data\nsubscriptionsPerTopic: 1\nproducerRate: 100\n`.replace("topics: 1\n", ""));
    const notes = p.notes.join("\n");
    assert.match(notes, /topics not honoured: eventbench drives one stream per scenario; 4 topics were run as 1/);
    assert.match(notes, /payloadFile not honoured/);
  });

  it("an unknown field is an error naming it", async () => {
    await assert.rejects(plan(`${BASE}producerRate: 100\nbatchingMaxBytes: 5\n`), (e: unknown) => e instanceof ConfigError && /OpenMessaging Benchmark workload.*\n.*unknown field\(s\) batchingMaxBytes/s.test(e.message));
  });

  it("the example in scenarios/omb loads", async () => {
    const path = new URL("../../../scenarios/omb/1-topic-16-partitions-1kb.yaml", import.meta.url).pathname;
    const p = resolvePlan(await loadScenarioFile(path), path, {});
    assert.equal(p.workloads[0]?.partitions, 16);
  });
});
