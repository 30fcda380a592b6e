import type { RunEntryResult, RunResult } from "../harness/result/result-schema.js";
import { rankSumTest } from "./rank-sum-test.js";

/**
 * Run-vs-baseline comparison that accounts for noise. One number against one number says nothing
 * on a shared machine, so each metric is compared as two samples: the steady-state per-second
 * values of one run each (interval level), or, when both sides hold at least
 * MIN_REPEATED_RUNS repeated runs, one value per run (run level). A metric regresses only when
 * its median moved the wrong way by more than the tolerance AND the rank-sum test says the two
 * samples differ (p < alpha); a move within the noise is reported as such, whatever its size.
 */

export interface ComparisonSettings {
  /** Relative change beyond which a significant move counts (0.1 = 10 %). */
  readonly tolerance: number;
  /** Significance level of the rank-sum test. */
  readonly alpha: number;
}

export const DEFAULT_COMPARISON: ComparisonSettings = { tolerance: 0.1, alpha: 0.01 };
export const MIN_REPEATED_RUNS = 3;
/** Fewer samples than this per side and no verdict is given: the test could not see anything. */
export const MIN_SAMPLES = 5;

export type MetricVerdict = "regression" | "improvement" | "within noise" | "insufficient data";

export interface MetricComparison {
  readonly metric: string;
  readonly unit: string;
  readonly better: "lower" | "higher";
  readonly baseMedian: number | null;
  readonly newMedian: number | null;
  /** (new - base) / base; null when the base median is 0 or missing. */
  readonly change: number | null;
  readonly pValue: number | null;
  readonly samples: { readonly base: number; readonly new: number; readonly level: "runs" | "intervals" };
  readonly verdict: MetricVerdict;
}

export interface EntryComparison {
  readonly adapter: string;
  readonly scenario: string;
  readonly workload: string;
  readonly metrics: readonly MetricComparison[];
  readonly verdict: "regression" | "improvement" | "within noise" | "insufficient data";
}

export interface RunComparison {
  readonly settings: ComparisonSettings;
  readonly level: "runs" | "intervals";
  readonly baseRuns: readonly string[];
  readonly newRuns: readonly string[];
  readonly entries: readonly EntryComparison[];
  /** Entries present on one side only. */
  readonly unmatched: readonly { readonly adapter: string; readonly scenario: string; readonly side: "base" | "new" }[];
  readonly regressions: number;
}

interface MetricDefinition {
  readonly metric: string;
  readonly unit: string;
  readonly better: "lower" | "higher";
  /** One value per steady-state interval (null intervals are skipped). */
  readonly perInterval: (e: RunEntryResult) => (number | null)[];
  /** The run's own figure for this metric. */
  readonly perRun: (e: RunEntryResult) => number | null;
}

const steady = (e: RunEntryResult) => e.timeseries.filter((p) => p.phase === "steady");

/** Per-interval rates need each interval's length: the gap to the previous point. */
function intervalRates(e: RunEntryResult, pick: (p: RunEntryResult["timeseries"][number]) => number): (number | null)[] {
  return e.timeseries.flatMap((p, i) => {
    if (p.phase !== "steady") return [];
    const seconds = p.t - (i > 0 ? (e.timeseries[i - 1] as (typeof e.timeseries)[number]).t : 0);
    return seconds > 0 ? [pick(p) / seconds] : [];
  });
}

const METRICS: readonly MetricDefinition[] = [
  { metric: "publish p50", unit: "ms", better: "lower", perInterval: (e) => steady(e).map((p) => p.publishP50), perRun: (e) => nonEmpty(e.latency.publish.count, e.latency.publish.p50) },
  { metric: "publish p99", unit: "ms", better: "lower", perInterval: (e) => steady(e).map((p) => p.publishP99), perRun: (e) => nonEmpty(e.latency.publish.count, e.latency.publish.p99) },
  { metric: "end-to-end p50", unit: "ms", better: "lower", perInterval: (e) => steady(e).map((p) => p.e2eP50), perRun: (e) => nonEmpty(e.latency.endToEnd.count, e.latency.endToEnd.p50) },
  { metric: "end-to-end p99", unit: "ms", better: "lower", perInterval: (e) => steady(e).map((p) => p.e2eP99), perRun: (e) => nonEmpty(e.latency.endToEnd.count, e.latency.endToEnd.p99) },
  { metric: "acknowledged rate", unit: "events/s", better: "higher", perInterval: (e) => intervalRates(e, (p) => p.acked), perRun: (e) => e.throughput.acked },
  { metric: "consumed rate", unit: "events/s", better: "higher", perInterval: (e) => intervalRates(e, (p) => p.consumed), perRun: (e) => e.throughput.consumed },
];

function nonEmpty(count: number, value: number): number | null {
  return count > 0 ? value : null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The verdict on two samples of one metric. Exported for the tests of the noise rule itself. */
export function compareSamples(
  base: readonly number[],
  next: readonly number[],
  better: "lower" | "higher",
  settings: ComparisonSettings,
): Pick<MetricComparison, "baseMedian" | "newMedian" | "change" | "pValue" | "verdict"> {
  const baseMedian = median(base);
  const newMedian = median(next);
  const change = baseMedian !== null && newMedian !== null && baseMedian !== 0 ? (newMedian - baseMedian) / baseMedian : null;
  if (base.length < MIN_SAMPLES || next.length < MIN_SAMPLES) return { baseMedian, newMedian, change, pValue: null, verdict: "insufficient data" };
  const { pValue } = rankSumTest(next, base);
  const worse = change !== null && (better === "lower" ? change > settings.tolerance : change < -settings.tolerance);
  const improved = change !== null && (better === "lower" ? change < -settings.tolerance : change > settings.tolerance);
  const significant = pValue < settings.alpha;
  const verdict: MetricVerdict = significant && worse ? "regression" : significant && improved ? "improvement" : "within noise";
  return { baseMedian, newMedian, change, pValue, verdict };
}

const entryKey = (e: RunEntryResult) => `${e.adapter}\u0000${e.scenario}`;
const isNumber = (x: number | null): x is number => x !== null && Number.isFinite(x);

/** Compares the entries both sides have, matched by adapter and scenario name. */
export function compareRuns(base: readonly RunResult[], next: readonly RunResult[], settings: ComparisonSettings): RunComparison {
  const level = base.length >= MIN_REPEATED_RUNS && next.length >= MIN_REPEATED_RUNS ? "runs" : "intervals";
  const group = (runs: readonly RunResult[]) => {
    const byKey = new Map<string, RunEntryResult[]>();
    for (const r of runs) for (const e of r.runs) byKey.set(entryKey(e), [...(byKey.get(entryKey(e)) ?? []), e]);
    return byKey;
  };
  const baseEntries = group(base);
  const newEntries = group(next);
  const entries: EntryComparison[] = [];
  const unmatched: RunComparison["unmatched"][number][] = [];
  for (const [key, newSide] of newEntries) {
    const baseSide = baseEntries.get(key);
    const first = newSide[0] as RunEntryResult;
    if (!baseSide) {
      unmatched.push({ adapter: first.adapter, scenario: first.scenario, side: "new" });
      continue;
    }
    const sample = (side: RunEntryResult[], m: MetricDefinition) =>
      (level === "runs" ? side.map(m.perRun) : side.flatMap(m.perInterval)).filter(isNumber);
    const metrics = METRICS.map((m): MetricComparison => {
      const b = sample(baseSide, m);
      const n = sample(newSide, m);
      return { metric: m.metric, unit: m.unit, better: m.better, ...compareSamples(b, n, m.better, settings), samples: { base: b.length, new: n.length, level } };
    });
    entries.push({ adapter: first.adapter, scenario: first.scenario, workload: first.workload, metrics, verdict: entryVerdict(metrics) });
  }
  for (const [key, baseSide] of baseEntries) {
    const first = baseSide[0] as RunEntryResult;
    if (!newEntries.has(key)) unmatched.push({ adapter: first.adapter, scenario: first.scenario, side: "base" });
  }
  return {
    settings,
    level,
    baseRuns: base.map((r) => r.runId),
    newRuns: next.map((r) => r.runId),
    entries,
    unmatched,
    regressions: entries.reduce((n, e) => n + e.metrics.filter((m) => m.verdict === "regression").length, 0),
  };
}

function entryVerdict(metrics: readonly MetricComparison[]): EntryComparison["verdict"] {
  if (metrics.some((m) => m.verdict === "regression")) return "regression";
  if (metrics.some((m) => m.verdict === "improvement")) return "improvement";
  if (metrics.every((m) => m.verdict === "insufficient data")) return "insufficient data";
  return "within noise";
}
