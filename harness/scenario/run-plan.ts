import { basename, extname } from "node:path";
import { ConfigError } from "../errors/errors.js";
import { checkScenarioCount, checkWorkloadSizes } from "./size-bounds.js";
import type { EnvironmentChoice } from "../environment/provider.js";
import type { RateStage } from "../load/arrival-schedule.js";
import type { KeyDistribution } from "../load/key-distribution.js";
import { parseDuration } from "./duration.js";
import { thresholdSource, type ScenarioFile, type WorkloadScenario } from "./scenario-schema.js";
import { parseThreshold, type ThresholdExpression } from "./threshold.js";
import { checkClaimMeasure, type ClaimSpec } from "../result/claim-figures.js";
import { resolveFaults, type FaultPlan } from "../faults/fault-plan.js";
import { resolveBacklogDrain, type BacklogDrainPlan } from "../../scenarios/workloads/backlog-drain/backlog-drain-plan.js";
import { resolveCqrs, type CqrsPlan } from "../../scenarios/workloads/cqrs/cqrs-plan.js";
import { resolveEventStore, type EventStorePlan } from "../../scenarios/workloads/event-store/event-store-plan.js";
import { checkFanOut } from "../../scenarios/workloads/fan-out/fan-out-plan.js";
import { resolveMaxThroughput, type MaxThroughputPlan } from "../../scenarios/workloads/max-throughput/max-throughput-plan.js";

/** Command-line flags that override the scenario file (DESIGN.md "Command line"). */
export interface RunFlags {
  readonly adapters?: readonly string[];
  readonly workload?: string;
  readonly rate?: number;
  readonly duration?: string;
  /** Replaces every entry's warm-up (the file's, or an OMB file's warmupDurationMinutes). */
  readonly warmup?: string;
  readonly env?: EnvironmentChoice;
}

export interface ThresholdSpec {
  readonly metric: string;
  readonly expression: ThresholdExpression;
}

/** One workload scenario, resolved to numbers: what every adapter of the run executes. */
export interface WorkloadPlan {
  readonly name: string;
  readonly workload: WorkloadScenario["workload"];
  readonly executor: WorkloadScenario["executor"];
  readonly mode: "open-loop" | "closed-loop";
  /** Open loop: the rate over time in events/s, warm-up stage first. */
  readonly stages: readonly RateStage[];
  /** Closed loop: concurrent append loops. */
  readonly vus: number;
  /** Peak target rate (events/s); 0 for closed loop. */
  readonly targetRate: number;
  readonly warmupS: number;
  readonly durationS: number;
  readonly producers: number;
  readonly consumerGroups: number;
  readonly consumersPerGroup: number;
  /** Worker threads for producers and for consumer group members. */
  readonly threads: { readonly producers: number; readonly consumers: number };
  readonly keys: number;
  readonly keyDistribution: KeyDistribution;
  /** Only for workload event-store. */
  readonly eventStore: EventStorePlan | null;
  /** Only for workload cqrs. */
  readonly cqrs: CqrsPlan | null;
  /** Only for workload backlog-drain. */
  readonly backlogDrain: BacklogDrainPlan | null;
  /** Only for workload max-throughput. */
  readonly maxThroughput: MaxThroughputPlan | null;
  /** Published claims put beside this scenario's measurements (seed-claims). */
  readonly claims: readonly ClaimSpec[];
  readonly payloadSize: number;
  readonly partitions: number;
  readonly batchSize: number;
  readonly lingerMs: number;
  readonly maxInFlight: number;
  readonly consumerBatch: number;
  readonly claimIdleAfterMs: number;
  readonly drainTimeoutS: number;
  readonly thresholds: readonly ThresholdSpec[];
  /** Open loop: the share of the target to acknowledge, and whether missing it fails the run. */
  readonly targetHeld: { readonly share: number; readonly gate: boolean };
  /** Faults injected during the entry, in time order. */
  readonly faults: readonly FaultPlan[];
  /** This entry as the adapters `rateScale` names run it, resolved from their scaled rates; any other adapter runs it as it is. */
  readonly byAdapter: Readonly<Record<string, WorkloadPlan>>;
}

/** The entry an adapter runs: its own scaled variant where the file scales its rates. */
export function workloadFor(w: WorkloadPlan, adapter: string): WorkloadPlan {
  return w.byAdapter[adapter] ?? w;
}

export interface RunPlan {
  readonly scenarioName: string;
  readonly scenarioFile: string;
  readonly env: EnvironmentChoice;
  /** Null: every adapter the environment can start. */
  readonly adapters: readonly string[] | null;
  /** The entries were chosen by name (--workload): one that cannot run is refused, not skipped. */
  readonly entriesNamed: boolean;
  readonly adapterSettings: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly services: NonNullable<ScenarioFile["services"]>;
  /** Tolerance and significance a comparison with a baseline uses (recorded in result.json). */
  readonly regression: { readonly tolerance: number; readonly alpha: number; readonly minDeltaMs: number };
  readonly workloads: readonly WorkloadPlan[];
  readonly description: string | null;
  /**
   * Said at the start of the run, printed by `eventbench plan` and kept in result.json: what a
   * flag changed, what was not honoured and why (e.g. OMB fields), in file-then-flag order.
   */
  readonly notes: readonly string[];
}

const seconds = (d: string) => parseDuration(d) as number;

function thresholdsOf(...sets: ScenarioFile["thresholds"][]): ThresholdSpec[] {
  const out: ThresholdSpec[] = [];
  for (const set of sets) {
    for (const [metric, expressions] of Object.entries(set ?? {})) {
      for (const e of expressions) out.push({ metric, expression: parseThreshold(thresholdSource(e)) as ThresholdExpression });
    }
  }
  return out;
}

/** The in-flight cap: k6's maxVUs, which defaults to preAllocatedVUs; closed loop: the VUs. */
function resolveMaxInFlight(s: WorkloadScenario, at: (field: string) => string): number {
  if (s.executor === "constant-vus") return s.vus;
  if (s.preAllocatedVUs !== undefined && s.maxVUs !== undefined && s.preAllocatedVUs > s.maxVUs) {
    throw new ConfigError(at("preAllocatedVUs"), `expected at most maxVUs (${s.maxVUs}), as k6 requires; got ${s.preAllocatedVUs}`);
  }
  return s.maxVUs ?? s.preAllocatedVUs ?? DEFAULT_MAX_IN_FLIGHT;
}

const DEFAULT_MAX_IN_FLIGHT = 1024;

/**
 * --warmup for one entry: the flag where the entry can warm up, else the file's; the warm-up of an
 * entry that cannot have one is said, not dropped.
 */
function resolveWarmup(s: WorkloadScenario, flags: RunFlags, note: (text: string) => void): number {
  if (flags.warmup === undefined) return seconds(s.warmup);
  const flagS = seconds(flags.warmup);
  if (flagS > 0 && s.workload === "backlog-drain") {
    note(`--warmup ${flags.warmup} not honoured: backlog-drain has no warm-up (with the consumers stopped it would only add to the backlog)`);
    return 0;
  }
  if (flagS > 0 && s.executor === "ramping-arrival-rate" && s.startRate === 0) {
    note(`--warmup ${flags.warmup} not honoured: the warm-up runs at the starting rate, and startRate is 0`);
    return 0;
  }
  if (flagS !== seconds(s.warmup)) note(`warm-up ${flags.warmup} from --warmup (the file says ${s.warmup})`);
  return flagS;
}

function noteDuration(s: WorkloadScenario, flags: RunFlags, note: (text: string) => void): void {
  if (flags.duration !== undefined && s.duration !== undefined && seconds(flags.duration) !== seconds(s.duration)) note(`measured ${flags.duration} from --duration (the file says ${s.duration})`);
}

function resolveWorkload(name: string, s: WorkloadScenario, file: ScenarioFile, source: string, flags: RunFlags, fileNote: (text: string) => void): WorkloadPlan {
  const at = (field: string) => `${source}: scenarios.${name}.${field}`;
  const note = (text: string) => fileNote(`scenarios.${name}: ${text}`);
  const warmupS = resolveWarmup(s, flags, note);
  let stages: RateStage[] = [];
  let vus = 0;
  let durationS: number;
  let targetRate = 0;
  let backlogDrain: BacklogDrainPlan | null = null;
  let maxThroughput: MaxThroughputPlan | null = null;
  if (s.executor === "constant-arrival-rate") {
    const fileRate = s.rate / seconds(s.timeUnit);
    const perSecond = flags.rate ?? fileRate;
    if (flags.rate !== undefined && flags.rate !== fileRate) {
      note(`rate ${flags.rate}/s from --rate (the file says ${fileRate}/s)${s.workload === "max-throughput" ? "; the steps start there" : ""}`);
    }
    backlogDrain = resolveBacklogDrain(s, at, flags.duration === undefined ? undefined : { rate: perSecond, durationS: seconds(flags.duration) }, note);
    maxThroughput = resolveMaxThroughput(s, perSecond, warmupS, at, flags.duration === undefined ? undefined : seconds(flags.duration), note);
    const d = flags.duration ?? s.duration;
    if (backlogDrain) durationS = backlogDrain.backlog / perSecond;
    else if (maxThroughput) durationS = (maxThroughput.steps.at(-1)?.endS ?? warmupS) - warmupS;
    else if (d === undefined) throw new ConfigError(at("duration"), "constant-arrival-rate needs a duration (e.g. 30s), in the file or as --duration");
    else durationS = seconds(d);
    if (!backlogDrain && !maxThroughput) noteDuration(s, flags, note);
    targetRate = maxThroughput ? Math.max(...maxThroughput.steps.map((st) => st.rate)) : perSecond;
    stages = [
      ...(warmupS > 0 ? [{ from: perSecond, to: perSecond, durationS: warmupS }] : []),
      ...(maxThroughput
        ? maxThroughput.steps.map((st) => ({ from: st.rate, to: st.rate, durationS: st.endS - st.startS }))
        : [{ from: perSecond, to: perSecond, durationS }]),
    ];
  } else if (s.executor === "ramping-arrival-rate") {
    if (flags.rate !== undefined) throw new ConfigError("--rate", `scenario "${name}" ramps through stages (ramping-arrival-rate); --rate applies to constant-arrival-rate scenarios only`);
    if (s.duration !== undefined) throw new ConfigError(at("duration"), "ramping-arrival-rate takes its length from stages; remove duration");
    const unit = seconds(s.timeUnit);
    const fileS = s.stages.reduce((sum, st) => sum + seconds(st.duration), 0);
    // --duration fits the ramp into that time: every stage is scaled by the same factor.
    const scale = flags.duration === undefined || fileS === 0 ? 1 : seconds(flags.duration) / fileS;
    if (scale !== 1) note(`stages scaled ×${Math.round(scale * 1000) / 1000} to fit --duration ${flags.duration} (the file's stages last ${fileS} s)`);
    let from = s.startRate / unit;
    if (warmupS > 0 && from === 0) throw new ConfigError(at("warmup"), "the warm-up runs at the starting rate, and startRate is 0 (k6's default): set startRate, or remove warmup");
    if (warmupS > 0) stages.push({ from, to: from, durationS: warmupS });
    for (const st of s.stages) {
      const to = st.target / unit;
      stages.push({ from, to, durationS: seconds(st.duration) * scale });
      targetRate = Math.max(targetRate, from, to);
      from = to;
    }
    durationS = fileS * scale;
  } else {
    if (flags.rate !== undefined) throw new ConfigError("--rate", `scenario "${name}" is closed-loop (constant-vus): it has no rate; set vus instead`);
    const d = flags.duration ?? s.duration;
    if (d === undefined) throw new ConfigError(at("duration"), "constant-vus needs a duration (e.g. 30s), in the file or as --duration");
    durationS = seconds(d);
    noteDuration(s, flags, note);
    vus = s.vus;
  }
  if (durationS <= 0) throw new ConfigError(flags.duration ? "--duration" : at("duration"), "expected a duration above 0");
  if (s.consumersPerGroup > 1 && s.consumerGroups === 0) throw new ConfigError(at("consumersPerGroup"), "has no effect with consumerGroups: 0");
  if (s.executor !== "constant-arrival-rate") {
    resolveBacklogDrain(s, at);
    resolveMaxThroughput(s, 0, warmupS, at);
  }
  checkFanOut(s, at);
  // batchSize 1 sends every event alone: a linger would have nothing to wait for.
  if (s.lingerMs > 0 && s.batchSize === 1) throw new ConfigError(at("lingerMs"), "has no effect with batchSize 1 (every event goes alone); set batchSize above 1, or remove lingerMs");
  const keyDistribution = resolveKeyDistribution(s, at);
  const maxInFlight = resolveMaxInFlight(s, at);
  checkWorkloadSizes({ keys: s.keys, producers: s.producers, payloadSize: s.payloadSize, batchSize: s.batchSize, maxInFlight, inFlightField: s.executor === "constant-vus" ? "vus" : s.maxVUs !== undefined ? "maxVUs" : "preAllocatedVUs" }, at);
  const eventStore = resolveEventStore(s, at);
  const cqrs = resolveCqrs(s, at);
  return {
    name,
    workload: s.workload,
    executor: s.executor,
    mode: s.executor === "constant-vus" ? "closed-loop" : "open-loop",
    stages,
    vus,
    targetRate,
    warmupS,
    durationS,
    producers: s.producers,
    consumerGroups: s.consumerGroups,
    consumersPerGroup: s.consumersPerGroup,
    threads: resolveThreads(s, at),
    keys: s.keys,
    keyDistribution,
    eventStore,
    cqrs,
    backlogDrain,
    maxThroughput,
    claims: (s.claims ?? []).map((c, i) => (checkClaimMeasure(c.measure, at(`claims.${i}.measure`)), c)),
    payloadSize: s.payloadSize,
    partitions: s.partitions,
    batchSize: s.batchSize,
    lingerMs: s.lingerMs,
    maxInFlight,
    consumerBatch: s.consumerBatch,
    claimIdleAfterMs: seconds(s.claimIdleAfter) * 1000,
    drainTimeoutS: seconds(s.drainTimeout),
    thresholds: thresholdsOf(file.thresholds, s.thresholds),
    targetHeld: { share: s.targetHeld?.share ?? file.targetHeld?.share ?? 0.95, gate: s.targetHeld?.gate ?? file.targetHeld?.gate ?? false },
    faults: resolveFaults(s.faults, { totalS: warmupS + durationS, consumerGroups: s.consumerGroups, consumersPerGroup: s.consumersPerGroup }, at),
    byAdapter: {},
  };
}

const roundRate = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The entry as each adapter in `rateScale` (the file's, overridden by the entry's) runs it: every
 * rate of the entry times the factor, resolved again so the backlog's length, the search's steps
 * and the faults' times follow from the scaled rates as they would from rates written in the file.
 */
function scaledVariants(base: WorkloadPlan, s: WorkloadScenario, file: ScenarioFile, source: string, flags: RunFlags, fileNote: (text: string) => void): WorkloadPlan["byAdapter"] {
  const scales = Object.entries({ ...file.rateScale, ...s.rateScale }).filter(([, k]) => k !== 1);
  if (scales.length === 0) return {};
  const note = (text: string) => fileNote(`scenarios.${base.name}: ${text}`);
  if (s.executor === "constant-vus") {
    if (s.rateScale) throw new ConfigError(`${source}: scenarios.${base.name}.rateScale`, "closed loop (constant-vus) has no rate to scale; set vus instead");
    return {};
  }
  if (flags.rate !== undefined) {
    note(`rateScale not applied: --rate ${flags.rate}/s sets every adapter's rate`);
    return {};
  }
  return Object.fromEntries(
    scales.map(([adapter, k]) => {
      const scaled: WorkloadScenario =
        s.executor === "constant-arrival-rate"
          ? { ...s, rate: roundRate(s.rate * k) }
          : { ...s, startRate: roundRate(s.startRate * k), stages: s.stages.map((st) => ({ ...st, target: roundRate(st.target * k) })) };
      // The flags' notes were said for the entry itself; the variant's would repeat them.
      const variant = resolveWorkload(base.name, scaled, file, source, flags, () => {});
      note(`${adapter} runs it at ${k} × its rates (rateScale): target ${roundRate(variant.targetRate)}/s instead of ${roundRate(base.targetRate)}/s`);
      return [adapter, variant];
    }),
  );
}

function resolveThreads(s: WorkloadScenario, at: (field: string) => string): WorkloadPlan["threads"] {
  const { producers, consumers } = s.threads;
  if (producers > s.producers) {
    throw new ConfigError(at("threads.producers"), `expected at most producers (${s.producers}): every producer thread needs a producer of its own; raise producers or lower threads.producers`);
  }
  const members = s.consumerGroups * s.consumersPerGroup;
  if (consumers > 1 && consumers > members) {
    throw new ConfigError(at("threads.consumers"), `expected at most the group members (${members} = consumerGroups × consumersPerGroup): every consumer thread needs a member of its own`);
  }
  return { producers, consumers };
}

function resolveKeyDistribution(s: WorkloadScenario, at: (field: string) => string): KeyDistribution {
  if (s.keyDistribution === "uniform") {
    if (s.zipfExponent !== undefined) throw new ConfigError(at("zipfExponent"), "applies to keyDistribution: zipf only");
    return { kind: "uniform" };
  }
  return { kind: "zipf", exponent: s.zipfExponent ?? 1 };
}

/** Merges the scenario file and the flags into the plan every later step reads. */
export function resolvePlan(file: ScenarioFile, source: string, flags: RunFlags): RunPlan {
  if (flags.rate !== undefined && !(flags.rate > 0)) throw new ConfigError("--rate", `expected events per second above 0, got ${flags.rate}`);
  for (const [flag, value] of [["--duration", flags.duration], ["--warmup", flags.warmup]] as const) {
    if (value !== undefined && parseDuration(value) === null) throw new ConfigError(flag, `"${value}" is not a duration; expected e.g. 10s, 1m30s, 500ms`);
  }
  checkScenarioCount(source, Object.keys(file.scenarios).length);
  let entries = Object.entries(file.scenarios);
  if (flags.workload !== undefined) {
    entries = entries.filter(([, s]) => s.workload === flags.workload);
    if (entries.length === 0) {
      const known = [...new Set(Object.values(file.scenarios).map((s) => s.workload))].join(", ");
      throw new ConfigError("--workload", `${source} has no scenario with workload "${flags.workload}"; it has: ${known}`);
    }
  }
  if (entries.length === 0) throw new ConfigError(`${source}: scenarios`, "expected at least one scenario");
  const notes = [...(file.notes ?? [])];
  const note = (text: string) => notes.push(text);
  const workloads = entries.map(([name, s]) => {
    const base = resolveWorkload(name, s, file, source, flags, note);
    return { ...base, byAdapter: scaledVariants(base, s, file, source, flags, note) };
  });
  return {
    scenarioName: file.name ?? basename(source, extname(source)),
    scenarioFile: source,
    env: flags.env ?? file.env ?? "auto",
    adapters: flags.adapters ?? file.adapters ?? null,
    entriesNamed: flags.workload !== undefined,
    adapterSettings: file.adapterSettings ?? {},
    services: file.services ?? {},
    regression: { tolerance: file.regression?.tolerance ?? 0.1, alpha: file.regression?.alpha ?? 0.01, minDeltaMs: file.regression?.minDeltaMs ?? 1 },
    workloads,
    description: file.description ?? null,
    notes,
  };
}
