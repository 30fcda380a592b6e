import { ConfigError } from "../errors/errors.js";
import { parseDuration } from "./duration.js";
import type { WorkloadScenario } from "./scenario-schema.js";

/** backlog-drain: how big a backlog is built before the consumers start. */
export interface BacklogDrainPlan {
  readonly backlog: number;
}

/** max-throughput: one step of the rate search. */
export interface RateStep {
  readonly rate: number;
  /** Seconds since t0 where the step begins and ends. */
  readonly startS: number;
  readonly endS: number;
}

export interface MaxThroughputLimits {
  readonly publishP99Ms: number | null;
  readonly e2eP99Ms: number | null;
  readonly minAchieved: number;
  readonly maxLagGrowth: number;
  readonly maxErrorRate: number;
}

export interface MaxThroughputPlan {
  readonly steps: readonly RateStep[];
  readonly limits: MaxThroughputLimits;
}

type At = (field: string) => string;

/** A max-throughput step is judged on the median of its per-second values. */
const MIN_STEP_S = 2;

function refuse(s: WorkloadScenario, workload: string, fields: readonly (keyof WorkloadScenario)[], at: At): void {
  for (const f of fields) {
    if (s[f] !== undefined) throw new ConfigError(at(f), `applies to workload ${workload} only (this scenario's workload is ${s.workload})`);
  }
}

/** fan-out needs several groups: with one, it is publish-consume. */
export function checkFanOut(s: WorkloadScenario, at: At): void {
  if (s.workload === "fan-out" && s.consumerGroups < 2) throw new ConfigError(at("consumerGroups"), `fan-out reads one stream with several independent groups; expected 2 or more, got ${s.consumerGroups}`);
}

/**
 * backlog-drain: the backlog is produced at the scenario's rate with no consumer running, so the
 * produce phase lasts backlog / rate; a warm-up would only be more backlog.
 */
/** --duration given on the command line: how long the load phase may last, at what rate. */
export interface DurationFlag {
  readonly rate: number;
  readonly durationS: number;
}

type Note = (text: string) => void;

export function resolveBacklogDrain(s: WorkloadScenario, at: At, flag?: DurationFlag, note?: Note): BacklogDrainPlan | null {
  if (s.workload !== "backlog-drain") {
    refuse(s, "backlog-drain", ["backlog"], at);
    return null;
  }
  if (s.executor !== "constant-arrival-rate") throw new ConfigError(at("executor"), "backlog-drain produces its backlog at a constant rate; expected constant-arrival-rate");
  if (s.backlog === undefined) throw new ConfigError(at("backlog"), "backlog-drain needs the backlog size in events (e.g. backlog: 10000)");
  if (s.duration !== undefined) throw new ConfigError(at("duration"), "backlog-drain takes its produce time from backlog / rate; remove duration");
  if (parseDuration(s.warmup) !== 0) throw new ConfigError(at("warmup"), "backlog-drain has no warm-up: with the consumers stopped it would only add to the backlog; expected 0s");
  if (s.consumerGroups < 1) throw new ConfigError(at("consumerGroups"), "backlog-drain measures consumers catching up; expected at least 1 group");
  if (!flag) return { backlog: s.backlog };
  // --duration bounds the produce phase: the backlog becomes what the rate produces in that time.
  const backlog = Math.max(1, Math.round(flag.rate * flag.durationS));
  if (backlog !== s.backlog) note?.(`backlog ${backlog} events (${flag.rate}/s for --duration ${flag.durationS} s) instead of the file's ${s.backlog}`);
  return { backlog };
}

/** max-throughput: the steps after the warm-up, from the scenario's rate up. */
export function resolveMaxThroughput(s: WorkloadScenario, startRate: number, warmupS: number, at: At, durationFlagS?: number, note?: Note): MaxThroughputPlan | null {
  if (s.workload !== "max-throughput") {
    refuse(s, "max-throughput", ["steps", "limits"], at);
    return null;
  }
  if (s.executor !== "constant-arrival-rate") throw new ConfigError(at("executor"), "max-throughput steps up from the scenario's rate; expected constant-arrival-rate");
  if (s.duration !== undefined) throw new ConfigError(at("duration"), "max-throughput takes its length from steps (maxSteps × stepDuration); remove duration");
  const steps = s.steps ?? { stepDuration: "10s", maxSteps: 10 };
  if (steps.factor !== undefined && steps.increment !== undefined) throw new ConfigError(at("steps"), "expected factor or increment, not both");
  let stepS = parseDuration(steps.stepDuration) as number;
  if (!(stepS >= MIN_STEP_S)) throw new ConfigError(at("steps.stepDuration"), "expected at least 2s: a step is judged on its per-second values");
  let maxSteps = steps.maxSteps;
  if (durationFlagS !== undefined) {
    // --duration bounds the search: as many whole steps as fit, or one step of that length.
    if (durationFlagS < MIN_STEP_S) throw new ConfigError("--duration", `${at("steps")} belongs to a max-throughput search, whose steps are judged on their per-second values; expected at least ${MIN_STEP_S}s`);
    if (durationFlagS < stepS) stepS = durationFlagS;
    maxSteps = Math.min(steps.maxSteps, Math.floor(durationFlagS / stepS));
    note?.(`${maxSteps} step(s) of ${stepS} s to fit --duration ${durationFlagS} s (the file says ${steps.maxSteps} of ${steps.stepDuration})`);
  }
  const next = (rate: number) => (steps.increment !== undefined ? rate + steps.increment : rate * (steps.factor ?? 1.5));
  const out: RateStep[] = [];
  let rate = startRate;
  for (let i = 0; i < maxSteps; i++) {
    out.push({ rate: Math.round(rate * 100) / 100, startS: warmupS + i * stepS, endS: warmupS + (i + 1) * stepS });
    rate = next(rate);
  }
  const l = s.limits;
  return {
    steps: out,
    limits: {
      publishP99Ms: l?.publishP99Ms ?? null,
      e2eP99Ms: l?.e2eP99Ms ?? null,
      minAchieved: l?.minAchieved ?? 0.95,
      maxLagGrowth: l?.maxLagGrowth ?? 0.1,
      maxErrorRate: l?.maxErrorRate ?? 0.01,
    },
  };
}
