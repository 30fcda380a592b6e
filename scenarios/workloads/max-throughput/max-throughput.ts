import type { TimeseriesPoint } from "../../../harness/result/result-schema.js";
import type { MaxThroughputPlan, RateStep } from "./max-throughput-plan.js";
import type { WorkloadPlan } from "../../../harness/scenario/run-plan.js";
import { median } from "../../../harness/measurement/sample-median.js";
import type { WorkloadDefinition } from "../workload.js";
import { figure } from "../workload-figures.js";

/** What one step of the search showed, and whether it held. */
export interface StepVerdict {
  readonly step: RateStep;
  readonly achieved: number;
  readonly publishP50: number | null;
  readonly publishP99: number | null;
  readonly e2eP99: number | null;
  readonly lagGrowth: number | null;
  readonly errorRate: number;
  /** Why the step is unsustainable; null when it held. */
  readonly broken: string | null;
}

const medianOf = (xs: readonly (number | null)[]) => median(xs.filter((x): x is number => x !== null));

/**
 * Judges one step on its own seconds. Its first second is left out: the rate just changed and
 * the queue of the step before is still draining. Percentiles are medians of the per-second
 * values, so one slow second does not decide a step.
 */
export function judgeStep(step: RateStep, points: readonly TimeseriesPoint[], limits: MaxThroughputPlan["limits"]): StepVerdict {
  const inStep = points.filter((p) => p.phase === "steady" && p.t > step.startS + 1 - 1e-9 && p.t <= step.endS + 1e-9);
  const seconds = inStep.length;
  const sent = inStep.reduce((a, p) => a + p.sent, 0);
  const achieved = seconds ? inStep.reduce((a, p) => a + p.acked, 0) / seconds : 0;
  const errorRate = sent ? inStep.reduce((a, p) => a + p.errors, 0) / sent : 0;
  const lags = inStep.map((p) => p.lagEvents).filter((x): x is number => x !== null);
  const lagGrowth = lags.length >= 2 ? (lags.at(-1) as number) - (lags[0] as number) : null;
  const verdict = { step, achieved, publishP50: medianOf(inStep.map((p) => p.publishP50)), publishP99: medianOf(inStep.map((p) => p.publishP99)), e2eP99: medianOf(inStep.map((p) => p.e2eP99)), lagGrowth, errorRate };
  const reasons: string[] = [];
  if (achieved < limits.minAchieved * step.rate) reasons.push(`acknowledged ${Math.round(achieved)}/s of ${step.rate}/s`);
  if (limits.publishP99Ms !== null && verdict.publishP99 !== null && verdict.publishP99 > limits.publishP99Ms) reasons.push(`publish p99 ${verdict.publishP99} ms > ${limits.publishP99Ms} ms`);
  if (limits.e2eP99Ms !== null && verdict.e2eP99 !== null && verdict.e2eP99 > limits.e2eP99Ms) reasons.push(`end-to-end p99 ${verdict.e2eP99} ms > ${limits.e2eP99Ms} ms`);
  if (lagGrowth !== null && lagGrowth > limits.maxLagGrowth * step.rate * seconds) reasons.push(`lag grew by ${lagGrowth} events`);
  if (errorRate > limits.maxErrorRate) reasons.push(`${(errorRate * 100).toFixed(1)}% of appends failed`);
  return { ...verdict, broken: reasons.length ? reasons.join("; ") : null };
}

/** The steps that ran to their end, judged in order; the search stops at the first broken one. */
export function searchSteps(plan: WorkloadPlan, points: readonly TimeseriesPoint[]): StepVerdict[] {
  const search = plan.maxThroughput as MaxThroughputPlan;
  const lastT = points.filter((p) => p.phase === "steady").at(-1)?.t ?? 0;
  const verdicts: StepVerdict[] = [];
  for (const step of search.steps) {
    if (lastT < step.endS - 1e-9) break;
    const v = judgeStep(step, points, search.limits);
    verdicts.push(v);
    if (v.broken) break;
  }
  return verdicts;
}

/**
 * OpenMessaging Benchmark's max-rate search, stepwise: the rate steps up from the scenario's rate
 * until a step breaks a limit (achieved rate, p99, lag growth, errors); the highest step that held
 * is the sustainable rate, and every step's rate → p50/p99 is the curve.
 */
export const maxThroughput: WorkloadDefinition = {
  name: "max-throughput",
  description: "the rate steps up until a limit breaks (p99, lag growth, errors, achieved rate): highest sustainable rate and the rate → latency curve",
  requires(plan) {
    return plan.consumersPerGroup > 1 ? ["consumerGroups"] : [];
  },
  probesCapacity: true,
  stopProducing(plan, points) {
    return searchSteps(plan, points).some((v) => v.broken !== null);
  },
  results(plan, m) {
    const verdicts = searchSteps(plan, m.timeseries);
    const held = verdicts.filter((v) => !v.broken);
    const broken = verdicts.find((v) => v.broken);
    const last = plan.maxThroughput?.steps.at(-1);
    return {
      figures: [
        figure("highest sustainable rate", held.at(-1)?.step.rate ?? null, "events/s", "the last step that held every limit; null if the first step broke"),
        figure("first unsustainable rate", broken?.step.rate ?? null, "events/s", broken ? `broke: ${broken.broken}` : `no step broke up to ${last?.rate ?? "?"} events/s: the ceiling is higher`),
        figure("steps run", verdicts.length, "steps"),
        ...verdicts.map((v) => figure(`step ${v.step.rate}/s achieved`, Math.round(v.achieved * 10) / 10, "events/s", v.broken ? `broke: ${v.broken}` : "held")),
      ],
      curves: [
        {
          id: "rate-latency",
          title: "Rate → publish latency (median of each step's seconds)",
          xLabel: "target rate (events/s)",
          yLabel: "ms",
          xScale: "log",
          yScale: "log",
          series: [
            { name: "publish p50", points: verdicts.flatMap((v): [number, number][] => (v.publishP50 === null ? [] : [[v.step.rate, v.publishP50]])) },
            { name: "publish p99", points: verdicts.flatMap((v): [number, number][] => (v.publishP99 === null ? [] : [[v.step.rate, v.publishP99]])) },
            { name: "end-to-end p99", points: verdicts.flatMap((v): [number, number][] => (v.e2eP99 === null ? [] : [[v.step.rate, v.e2eP99]])) },
          ],
        },
        {
          id: "rate-achieved",
          title: "Target rate → acknowledged rate",
          xLabel: "target rate (events/s)",
          yLabel: "events/s",
          xScale: "log",
          yScale: "log",
          series: [{ name: "acknowledged", points: verdicts.map((v): [number, number] => [v.step.rate, Math.round(v.achieved * 10) / 10]) }],
        },
      ],
    };
  },
};
