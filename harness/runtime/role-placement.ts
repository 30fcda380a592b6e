import type { AdapterCapabilities, AdapterOptions, StreamSpec } from "../../adapters/contract/adapter.js";
import type { RateStage } from "../load/arrival-schedule.js";
import type { WorkloadPlan } from "../scenario/run-plan.js";
import type { ReadModelSpec } from "../read-model/read-model.js";
import type { CqrsBoards, HostSpec, MemberSpec, ProducerSpec, ReadSideSpec, RehydratorSpec } from "./host-protocol.js";

export interface PlacementInput {
  readonly adapter: string;
  readonly adapterOptions: AdapterOptions;
  readonly capabilities: AdapterCapabilities;
  readonly stream: StreamSpec;
  readonly groups: readonly string[];
  readonly runTag: number;
  readonly plan: WorkloadPlan;
  /** cqrs: shared boards and where the read model lives. */
  readonly cqrs?: { readonly boards: CqrsBoards; readonly readModel: ReadModelSpec };
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
    keyDistribution: plan.keyDistribution,
    payloadSize: plan.payloadSize,
    ...(plan.eventStore
      ? {
          commands: {
            eventsPerCommand: plan.eventStore.eventsPerCommand,
            staleness: plan.eventStore.staleness,
            // With one producer every conflict is one it provoked on purpose: nothing to reload.
            reloadOnConflict: plan.producers > 1,
          },
        }
      : {}),
    ...(plan.cqrs ? { projected: true } : {}),
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
      // cqrs: the first group is the projector; further groups are plain subscribers.
      ...(plan.cqrs && group === groups[0] ? { projects: true } : {}),
    })),
  );
}

function rehydratorSpec(plan: WorkloadPlan): RehydratorSpec | undefined {
  const r = plan.eventStore?.rehydrate;
  if (!r) return undefined;
  return { keys: plan.keys, keyDistribution: plan.keyDistribution, intervalS: r.intervalS, snapshotEvery: r.snapshotEvery, durationS: plan.warmupS + plan.durationS };
}

function readSideSpec(plan: WorkloadPlan, readModel: ReadModelSpec): ReadSideSpec {
  const rate = plan.cqrs?.queryRate ?? 0;
  return { readModel, queryStages: rate > 0 ? [{ from: rate, to: rate, durationS: plan.warmupS + plan.durationS }] : [], keys: plan.keys, keyDistribution: plan.keyDistribution };
}

/**
 * Decides which thread runs what. Producers get a thread of their own so a busy consumer cannot
 * delay a send (their timing is what open-loop latency is measured from); consumers and the admin
 * duties share a second, with the event store's rehydrations and the cqrs read side (the read
 * model, its projecting members and the queries, which share the read model's memory). An
 * in-process adapter keeps its stream in one thread's memory, so there everything shares one
 * thread, and the result says so through `capabilities.inProcess`.
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
  const rehydrator = rehydratorSpec(input.plan);
  const adminRoles = {
    ...(rehydrator ? { rehydrator } : {}),
    ...(input.cqrs ? { cqrsBoards: input.cqrs.boards, readSide: readSideSpec(input.plan, input.cqrs.readModel) } : {}),
  };
  if (input.capabilities.inProcess) {
    return [{ ...base, name: "all-roles", admin: true, producers, members, ...adminRoles }];
  }
  return [
    { ...base, name: "consumers", admin: true, producers: [], members, ...adminRoles },
    { ...base, name: "producers", admin: false, producers, members: [], ...(input.cqrs ? { cqrsBoards: input.cqrs.boards } : {}) },
  ];
}
