import type { AdapterCapabilities, AdapterOptions, StreamSpec } from "../../adapters/contract/adapter.js";
import type { RateStage } from "../load/arrival-schedule.js";
import type { WorkloadPlan } from "../scenario/run-plan.js";
import type { ReadModelSpec } from "../../scenarios/workloads/cqrs/read-model/read-model.js";
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

/** The k-th of n shares of a list, dealt round-robin so every group's members spread over the threads. */
const shareOf = <T>(items: readonly T[], k: number, n: number): T[] => items.filter((_, i) => i % n === k);

const hostName = (role: string, k: number, n: number) => (n === 1 ? role : `${role}-${k + 1}`);

/**
 * Why this adapter cannot spread this scenario over its threads, or null. The cqrs read side lives
 * in one thread. An in-process adapter's
 * stream lives in one thread's memory, so each producer thread runs a copy of the stream with its
 * own members: roles that need one shared stream (aggregates read back, a read model, a member
 * named by a fault) cannot be split that way.
 */
export function placementProblem(plan: WorkloadPlan, capabilities: AdapterCapabilities): string | null {
  if (plan.cqrs && plan.threads.consumers > 1) return "threads.consumers: the cqrs projector shares the read model's memory with the queries, in one thread; expected 1";
  if (!capabilities.inProcess) return null;
  if (plan.threads.consumers > 1) return "threads.consumers: an in-process adapter runs its members beside its producers, one stream per producer thread; set threads.producers instead";
  if (plan.threads.producers === 1) return null;
  if (plan.eventStore?.rehydrate || plan.cqrs) return "threads.producers: rehydration and cqrs need one shared stream, which an in-process adapter keeps in one thread; expected 1";
  if (plan.faults.some((f) => f.kind === "kill-member")) return "threads.producers: a kill-member fault names one member, and an in-process adapter has a copy of it per thread; expected 1";
  return null;
}

/**
 * Decides which thread runs what. Producers get threads of their own so a busy consumer cannot
 * delay a send (their timing is what open-loop latency is measured from); the scenario's
 * `threads` says how many, for producers and for group members. The admin duties (set-up, lag,
 * teardown), the event store's rehydrations and the cqrs read side (the read model, its
 * projecting members and the queries, which share the read model's memory) go to the first
 * consumer thread. An in-process adapter keeps its stream in one thread's memory, so there each
 * thread holds every role over a stream of its own, and the result says so through
 * `capabilities.inProcess`.
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
  const { producers: producerThreads, consumers: consumerThreads } = input.plan.threads;
  if (input.capabilities.inProcess) {
    return Array.from({ length: producerThreads }, (_, k) => ({
      ...base,
      name: hostName("all-roles", k, producerThreads),
      admin: true,
      producers: shareOf(producers, k, producerThreads),
      members,
      ...(k === 0 ? adminRoles : {}),
    }));
  }
  const consumerHosts = Array.from({ length: consumerThreads }, (_, k): HostSpec => ({
    ...base,
    name: hostName("consumers", k, consumerThreads),
    admin: k === 0,
    producers: [],
    members: shareOf(members, k, consumerThreads),
    ...(k === 0 ? adminRoles : {}),
  }));
  const producerHosts = Array.from({ length: producerThreads }, (_, k): HostSpec => ({
    ...base,
    name: hostName("producers", k, producerThreads),
    admin: false,
    producers: shareOf(producers, k, producerThreads),
    members: [],
    ...(input.cqrs ? { cqrsBoards: input.cqrs.boards } : {}),
  }));
  return [...consumerHosts, ...producerHosts];
}
