import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateScenario } from "../scenario/load-scenario.js";
import { resolvePlan } from "../scenario/run-plan.js";
import { checkPlan } from "./run-suite.js";

const common = { executor: "constant-arrival-rate", rate: 10, duration: "1s" };
const file = validateScenario(
  { scenarios: { steady: { ...common }, store: { ...common, workload: "event-store" } } },
  "quick.yaml",
);

describe("checking a plan's capabilities before anything starts", () => {
  it("a run naming no adapters leaves out only the entries an adapter cannot run, and says why", async () => {
    const checked = await checkPlan(resolvePlan(file, "quick.yaml", {}));
    assert.ok(checked.factories.has("kafka"), "kafka still runs the publish-consume scenario");
    assert.ok(checked.leftOut.has("kafka/store") && checked.leftOut.has("kafkajs/store"));
    assert.ok(!checked.leftOut.has("kafka/steady"));
    assert.ok(!checked.leftOut.has("redis-streams/store"), "redis-streams gets eventStore turned on for that entry");
    const reason = checked.skipped.find((s) => s.adapter === "kafka")?.reason ?? "";
    assert.match(reason, /^scenario store: workload event-store as configured needs the capability optimisticConcurrency, which adapter kafka does not have/);
  });

  it("a run naming the adapter runs what the adapter can of the file, and lists what it left out and why", async () => {
    const checked = await checkPlan(resolvePlan(file, "quick.yaml", { adapters: ["kafka"] }));
    assert.deepEqual([...checked.factories.keys()], ["kafka"]);
    assert.deepEqual([...checked.leftOut], ["kafka/store"]);
    assert.match(checked.skipped[0]?.reason ?? "", /^scenario store: .*optimisticConcurrency/);
  });

  it("an entry the user named (--workload) that the adapter cannot run is refused, naming the scenario and the capability", async () => {
    await assert.rejects(
      checkPlan(resolvePlan(file, "quick.yaml", { adapters: ["kafka"], workload: "event-store" })),
      /quick\.yaml: scenarios\.store: .*optimisticConcurrency/,
    );
  });

  it("a named adapter that can run none of the file's entries is refused", async () => {
    const storeOnly = validateScenario({ scenarios: { store: { ...common, workload: "event-store" } } }, "store.yaml");
    await assert.rejects(checkPlan(resolvePlan(storeOnly, "store.yaml", { adapters: ["kafka"] })), /store\.yaml: scenarios\.store: .*optimisticConcurrency/);
  });

  it("memory without its history cannot rehydrate: refused, naming readAggregate", async () => {
    const noHistory = validateScenario(
      { adapterSettings: { memory: { retainHistory: false } }, scenarios: { store: { ...common, workload: "event-store", rehydrate: { every: "1s" } } } },
      "store.yaml",
    );
    await assert.rejects(checkPlan(resolvePlan(noHistory, "store.yaml", { adapters: ["memory"] })), /scenarios\.store: .*capability readAggregate, which adapter memory does not have/);
  });

  it("two or more groups need independentGroups: a fan-out on sqs (one queue, one group) is refused, naming the capability", async () => {
    const fanOut = validateScenario({ scenarios: { fan: { ...common, workload: "fan-out", consumerGroups: 2 } } }, "fan.yaml");
    await assert.rejects(checkPlan(resolvePlan(fanOut, "fan.yaml", { adapters: ["sqs"] })), /fan\.yaml: scenarios\.fan: .*capability independentGroups, which adapter sqs does not have/);
    const twoGroups = validateScenario({ scenarios: { steady: { ...common }, two: { ...common, consumerGroups: 2 } } }, "two.yaml");
    const checked = await checkPlan(resolvePlan(twoGroups, "two.yaml", { adapters: ["sqs", "kafka"] }));
    assert.ok(checked.leftOut.has("sqs/two"), "whatever the workload, two groups leave sqs out");
    assert.ok(!checked.leftOut.has("sqs/steady") && !checked.leftOut.has("kafka/two"), "one group on sqs, and two on an adapter with independent groups, run");
  });

  it("a batchSize above what one append takes (sqs: SendMessageBatch's 10) is refused before anything starts", async () => {
    const big = validateScenario({ scenarios: { steady: { ...common, batchSize: 11 } } }, "big.yaml");
    await assert.rejects(checkPlan(resolvePlan(big, "big.yaml", { adapters: ["sqs"] })), /big\.yaml: scenarios\.steady: adapter sqs: batchSize: one append call takes at most 10 events; expected at most 10, got 11/);
    const ten = validateScenario({ scenarios: { steady: { ...common, batchSize: 10 } } }, "ten.yaml");
    assert.ok((await checkPlan(resolvePlan(ten, "ten.yaml", { adapters: ["sqs"] }))).factories.has("sqs"));
  });

  it("an adapter left out of default runs (sqs) is skipped, with its reason, unless named", async () => {
    const checked = await checkPlan(resolvePlan(file, "quick.yaml", {}));
    assert.ok(!checked.factories.has("sqs"));
    assert.match(checked.skipped.find((s) => s.adapter === "sqs")?.reason ?? "", /^not in runs that name no adapter \(--adapter sqs runs it\): ElasticMQ held/);
    assert.ok((await checkPlan(resolvePlan(file, "quick.yaml", { adapters: ["sqs"] }))).factories.has("sqs"));
  });
});
