import { ConfigError } from "../../../harness/errors/errors.js";
import { parseDuration } from "../../../harness/scenario/duration.js";
import type { WorkloadScenario } from "../../../harness/scenario/scenario-schema.js";
import { refuseFieldsOf, type At, type Note } from "../plan-fields.js";

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

/** A max-throughput step is judged on the median of its per-second values. */
const MIN_STEP_S = 2;

/** max-throughput: the steps after the warm-up, from the scenario's rate up. */
export function resolveMaxThroughput(s: WorkloadScenario, startRate: number, warmupS: number, at: At, durationFlagS?: number, note?: Note): MaxThroughputPlan | null {
  if (s.workload !== "max-throughput") {
    refuseFieldsOf(s, "max-throughput", ["steps", "limits"], at);
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
