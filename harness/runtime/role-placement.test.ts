import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AdapterCapabilities } from "../../adapters/contract/adapter.js";
import { validateScenario } from "../scenario/load-scenario.js";
import { resolvePlan, type WorkloadPlan } from "../scenario/run-plan.js";
import { groupNames, placementProblem, placeRoles } from "./role-placement.js";

const capabilities = (inProcess: boolean) => ({ inProcess }) as AdapterCapabilities;

function plan(scenario: Record<string, unknown>): WorkloadPlan {
  const file = validateScenario({ scenarios: { s: { executor: "constant-arrival-rate", rate: 1200, duration: "2s", ...scenario } } }, "t.yaml");
  return resolvePlan(file, "t.yaml", {}).workloads[0] as WorkloadPlan;
}

function place(p: WorkloadPlan, inProcess = false) {
  const groups = groupNames(p.consumerGroups);
  return placeRoles({ adapter: "x", adapterOptions: { endpoint: { url: "", display: "", provider: "native" } }, capabilities: capabilities(inProcess), stream: { name: "s", partitions: 4 }, groups, runTag: 1, plan: p });
}

describe("placing roles on threads", () => {
  it("by default: one consumer thread with the admin duties, one producer thread", () => {
    const hosts = place(plan({ producers: 3, consumersPerGroup: 2 }));
    assert.deepEqual(hosts.map((h) => [h.name, h.admin, h.producers.length, h.members.length]), [
      ["consumers", true, 0, 2],
      ["producers", false, 3, 0],
    ]);
  });

  it("spreads producers and each group's members round-robin over their threads, every one placed once", () => {
    const hosts = place(plan({ producers: 5, consumerGroups: 2, consumersPerGroup: 2, threads: { producers: 2, consumers: 2 } }));
    assert.deepEqual(hosts.map((h) => h.name), ["consumers-1", "consumers-2", "producers-1", "producers-2"]);
    assert.deepEqual(hosts.map((h) => h.admin), [true, false, false, false], "one admin: set-up, lag and teardown happen once");
    assert.deepEqual(hosts.flatMap((h) => h.producers.map((p) => p.producerId)).sort(), [0, 1, 2, 3, 4]);
    assert.deepEqual(hosts[2]?.producers.map((p) => p.producerId), [0, 2, 4]);
    const membersOf = (k: number) => hosts[k]?.members.map((m) => `${m.group}/${m.member}`);
    assert.deepEqual(membersOf(0), ["group-1/member-1", "group-2/member-1"]);
    assert.deepEqual(membersOf(1), ["group-1/member-2", "group-2/member-2"]);
    const rate = hosts.flatMap((h) => h.producers).reduce((sum, p) => sum + (p.load.kind === "open" ? (p.load.stages.at(-1)?.to ?? 0) : 0), 0);
    assert.equal(rate, 1200, "the rate is split between producers, whatever thread they are on");
  });

  it("an in-process adapter gets one thread per producer thread, each with a stream, every member and an admin of its own", () => {
    const hosts = place(plan({ producers: 2, consumersPerGroup: 2, threads: { producers: 2 } }), true);
    assert.deepEqual(hosts.map((h) => [h.name, h.admin, h.producers.map((p) => p.producerId), h.members.length]), [
      ["all-roles-1", true, [0], 2],
      ["all-roles-2", true, [1], 2],
    ]);
  });

  it("refuses what cannot be split, naming the setting", () => {
    assert.equal(placementProblem(plan({ producers: 2, threads: { producers: 2 } }), capabilities(true)), null);
    assert.match(placementProblem(plan({ threads: { consumers: 1 }, consumersPerGroup: 2 }), capabilities(true)) ?? "none", /^none$/);
    assert.match(placementProblem(plan({ consumersPerGroup: 2, threads: { consumers: 2 } }), capabilities(true)) ?? "", /^threads\.consumers: an in-process adapter/);
    assert.match(placementProblem(plan({ workload: "cqrs", consumersPerGroup: 2, threads: { consumers: 2 } }), capabilities(false)) ?? "", /^threads\.consumers: the cqrs projector/);
    assert.match(
      placementProblem(plan({ workload: "event-store", producers: 2, threads: { producers: 2 }, rehydrate: { every: "1s" } }), capabilities(true)) ?? "",
      /^threads\.producers: rehydration and cqrs need one shared stream/,
    );
  });

  it("refuses more threads than there are producers or members to put on them", () => {
    assert.throws(() => plan({ producers: 1, threads: { producers: 2 } }), /scenarios\.s\.threads\.producers: expected at most producers \(1\)/);
    assert.throws(() => plan({ consumerGroups: 1, consumersPerGroup: 1, threads: { consumers: 2 } }), /scenarios\.s\.threads\.consumers: expected at most the group members \(1/);
  });
});
