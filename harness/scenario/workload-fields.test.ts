import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateScenario } from "./load-scenario.js";
import { resolvePlan } from "./run-plan.js";

const base = { executor: "constant-arrival-rate", rate: 10, duration: "1s" };

function plan(scenario: Record<string, unknown>) {
  const file = validateScenario({ scenarios: { s: { ...base, ...scenario } } }, "x.yaml");
  return resolvePlan(file, "x.yaml", {}).workloads[0];
}

/** The event-store and cqrs fields: resolved to numbers, or refused naming the field and what was expected. */
describe("workload fields of a scenario", () => {
  it("event-store: commands, staleness, rehydration every interval or at a rate, zipf keys", () => {
    const p = plan({ workload: "event-store", keyDistribution: "zipf", zipfExponent: 1.3, eventsPerCommand: { min: 1, max: 4 }, staleness: 0.1, rehydrate: { rate: 4, snapshotEvery: 50 } });
    assert.deepEqual(p?.keyDistribution, { kind: "zipf", exponent: 1.3 });
    assert.deepEqual(p?.eventStore, { eventsPerCommand: { min: 1, max: 4 }, staleness: 0.1, rehydrate: { intervalS: 0.25, snapshotEvery: 50 } });
    assert.equal(plan({ workload: "event-store", rehydrate: { every: "2s" } })?.eventStore?.rehydrate?.intervalS, 2);
    assert.equal(plan({ workload: "event-store" })?.eventStore?.rehydrate, null);
  });

  it("cqrs: the read model and the query rate, in-process-map and 100/s by default", () => {
    assert.deepEqual(plan({ workload: "cqrs" })?.cqrs, { readModel: "in-process-map", queryRate: 100 });
    assert.deepEqual(plan({ workload: "cqrs", readModel: "redis-hash", queryRate: 20 })?.cqrs, { readModel: "redis-hash", queryRate: 20 });
  });

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ["min above max", { workload: "event-store", eventsPerCommand: { min: 3, max: 2 } }, /scenarios\.s\.eventsPerCommand: expected min ≤ max, got min 3 and max 2/],
    ["both every and rate", { workload: "event-store", rehydrate: { every: "1s", rate: 2 } }, /scenarios\.s\.rehydrate: expected exactly one of every/],
    ["batched commands", { workload: "event-store", batchSize: 5 }, /scenarios\.s\.batchSize: event-store appends one command per call; expected 1/],
    ["event-store field elsewhere", { workload: "publish-consume", staleness: 0.1 }, /scenarios\.s\.staleness: applies to workload event-store only/],
    ["cqrs field elsewhere", { workload: "event-store", queryRate: 5 }, /scenarios\.s\.queryRate: applies to workload cqrs only/],
    ["cqrs without a projecting group", { workload: "cqrs", consumerGroups: 0 }, /scenarios\.s\.consumerGroups: cqrs projects through the first consumer group; expected at least 1/],
    ["an exponent without zipf", { zipfExponent: 2 }, /scenarios\.s\.zipfExponent: applies to keyDistribution: zipf only/],
  ];
  for (const [name, scenario, message] of refusals) {
    it(`refuses ${name}`, () => assert.throws(() => plan(scenario), message));
  }

  it("refuses a staleness above 1 and an unknown read model in the schema", () => {
    assert.throws(() => plan({ workload: "event-store", staleness: 1.5 }), /scenarios\.s\.staleness: .*1/);
    assert.throws(() => plan({ workload: "cqrs", readModel: "postgres" }), /scenarios\.s\.readModel: .*in-process-map.*redis-hash/);
  });
});
