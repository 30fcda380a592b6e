import type { AdapterCapabilities, AdapterOptions, StreamSpec } from "../../adapters/contract/adapter.js";
import type { RateStage } from "../load/arrival-schedule.js";
import type { WorkloadPlan } from "../scenario/run-plan.js";
import type { HostSpec, MemberSpec, ProducerSpec } from "./host-protocol.js";

export interface PlacementInput {
  readonly adapter: string;
  readonly adapterOptions: AdapterOptions;
  readonly capabilities: AdapterCapabilities;
  readonly stream: StreamSpec;
  readonly groups: readonly string[];
  readonly runTag: number;
  readonly plan: WorkloadPlan;
}

export function groupNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `group-${i + 1}`);
}

function producerSpecs(plan: WorkloadPlan): ProducerSpec[] {
  const share = (stages: readonly RateStage[]): RateStage[] =>
    stages.map((s) => ({ from: s.from / plan.producers, to: s.to / plan.producers, durationS: s.durationS }));
  return Array.from({ length: plan.producers }, (_, producerId) => ({
    producerId,
    keys: plan.keys,
    payloadSize: plan.payloadSize,
    load:
      plan.mode === "open-loop"
        ? { kind: "open", stages: share(plan.stages), batchSize: plan.batchSize, lingerMs: plan.lingerMs, maxInFlight: Math.max(1, Math.ceil(plan.maxInFlight / plan.producers)) }
        : { kind: "closed", vus: Math.max(1, Math.ceil(plan.vus / plan.producers)), batchSize: plan.batchSize, durationS: plan.warmupS + plan.durationS },
  }));
}

function memberSpecs(plan: WorkloadPlan, groups: readonly string[]): MemberSpec[] {
  return groups.flatMap((group) =>
    Array.from({ length: plan.consumersPerGroup }, (_, i) => ({
      group,
      member: `member-${i + 1}`,
      maxBatch: plan.consumerBatch,
      claimIdleAfterMs: plan.claimIdleAfterMs,
    })),
  );
}

/**
 * Decides which thread runs what. Producers get a thread of their own so a busy consumer cannot
 * delay a send (their timing is what open-loop latency is measured from); consumers and the admin
 * duties share a second. An in-process adapter keeps its stream in one thread's memory, so there
 * everything shares one thread, and the result says so through `capabilities.inProcess`.
 */
export function placeRoles(input: PlacementInput): HostSpec[] {
  const base = {
    adapter: input.adapter,
    adapterOptions: input.adapterOptions,
    stream: input.stream,
    groups: input.groups,
    runTag: input.runTag,
  };
  const producers = producerSpecs(input.plan);
  const members = memberSpecs(input.plan, input.groups);
  if (input.capabilities.inProcess) {
    return [{ ...base, name: "all-roles", admin: true, producers, members }];
  }
  return [
    { ...base, name: "consumers", admin: true, producers: [], members },
    { ...base, name: "producers", admin: false, producers, members: [] },
  ];
}
