import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tempDir } from "../../test/support/temp-dir.js";
import { ConfigError } from "../errors/errors.js";
import { loadScenarioFile } from "./load-scenario.js";
import { resolvePlan } from "./run-plan.js";

async function plan(yaml: string) {
  const path = join(await tempDir("omb"), "workload.yaml");
  await writeFile(path, yaml);
  return resolvePlan(await loadScenarioFile(path), path, {});
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
