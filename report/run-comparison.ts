import type { RunEntryResult, RunResult } from "../harness/result/result-schema.js";
import { median } from "../harness/measurement/sample-median.js";
import { rankSumTest } from "./rank-sum-test.js";

/**
 * Run-vs-baseline comparison that accounts for noise. One number against one number says nothing
 * on a shared machine, so each metric is compared as two samples, the steady-state per-second
 * values of every run on each side. A metric regresses only when all of these hold:
 * - its median moved the wrong way by more than the tolerance, and by more than the noise band:
 *   how far a single baseline run's median strayed from the pooled baseline median, measured when
 *   the baseline holds repeated runs (within one run the per-second values cannot show how much a
 *   whole run shifts with the machine's state; docs/BENCHMARKS.md measures that);
 * - for latencies, by more than `minDeltaMs` (sub-millisecond moves are timer and scheduler jitter);
 * - the rank-sum test says the two samples differ (p < alpha).
 * A larger move that fails a condition is reported "within noise".
 */

export interface ComparisonSettings {
  /** Relative change beyond which a significant move counts (0.1 = 10 %). */
  readonly tolerance: number;
  /** Significance level of the rank-sum test. */
  readonly alpha: number;
  /** Latency moves smaller than this (ms) never count, whatever their relative size. */
  readonly minDeltaMs: number;
}

export const DEFAULT_COMPARISON: ComparisonSettings = { tolerance: 0.1, alpha: 0.01, minDeltaMs: 1 };
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
  /** Relative run-to-run spread of the baseline's runs; null with a single baseline run. */
  readonly noiseBand: number | null;
  readonly samples: { readonly base: number; readonly new: number };
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
  readonly baseRuns: readonly string[];
  readonly newRuns: readonly string[];
  readonly entries: readonly EntryComparison[];
  /** Said beside the verdict when the comparison cannot see run-to-run noise. */
  readonly caveat: string | null;
  /** Entries present on one side only. */
  readonly unmatched: readonly { readonly adapter: string; readonly scenario: string; readonly side: "base" | "new" }[];
  readonly regressions: number;
}

interface MetricDefinition {
  readonly metric: string;
  /** The run entry's summary figure in result.json this metric compares the per-second values of. */
  readonly field: string;
  readonly unit: string;
  readonly better: "lower" | "higher";
  /** One value per steady-state interval (null intervals are skipped). */
  readonly perInterval: (e: RunEntryResult) => (number | null)[];
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
  { metric: "publish p50", field: "latency.publish.p50", unit: "ms", better: "lower", perInterval: (e) => steady(e).map((p) => p.publishP50) },
  { metric: "publish p99", field: "latency.publish.p99", unit: "ms", better: "lower", perInterval: (e) => steady(e).map((p) => p.publishP99) },
  { metric: "end-to-end p50", field: "latency.endToEnd.p50", unit: "ms", better: "lower", perInterval: (e) => steady(e).map((p) => p.e2eP50) },
  { metric: "end-to-end p99", field: "latency.endToEnd.p99", unit: "ms", better: "lower", perInterval: (e) => steady(e).map((p) => p.e2eP99) },
  { metric: "acknowledged rate", field: "throughput.acked", unit: "events/s", better: "higher", perInterval: (e) => intervalRates(e, (p) => p.acked) },
  { metric: "consumed rate", field: "throughput.consumed", unit: "events/s", better: "higher", perInterval: (e) => intervalRates(e, (p) => p.consumed) },
];

/** The comparison's metric that judges a result.json field (`latency.endToEnd.p99`), if one does. */
export function comparedMetricOf(field: string): string | undefined {
  return METRICS.find((m) => m.field === field)?.metric;
}

/** The tolerance and significance the new run's scenario set (`regression:`), unless overridden. */
export function comparisonSettingsOf(next: RunResult, overrides: { readonly tolerance?: number | undefined; readonly alpha?: number | undefined } = {}): ComparisonSettings {
  const r = next.scenario.regression;
  return { tolerance: overrides.tolerance ?? r.tolerance, alpha: overrides.alpha ?? r.alpha, minDeltaMs: r.minDeltaMs };
}

/**
 * How far any single baseline run's median strayed from the pooled median, relative to it: the
 * run-to-run noise the baseline itself shows. Null with fewer than two runs with data.
 */
export function noiseBand(runs: readonly (readonly number[])[]): number | null {
  const withData = runs.filter((r) => r.length > 0);
  const pooled = median(withData.flat());
  if (withData.length < 2 || !pooled) return null;
  return Math.max(...withData.map((r) => Math.abs((median(r) as number) - pooled) / Math.abs(pooled)));
}

/** The verdict on two samples of one metric. Exported for the tests of the noise rule itself. */
export function compareSamples(
  base: readonly number[],
  next: readonly number[],
  metric: { readonly better: "lower" | "higher"; readonly unit: string },
  settings: ComparisonSettings,
  band: number | null = null,
): Pick<MetricComparison, "baseMedian" | "newMedian" | "change" | "pValue" | "verdict"> {
  const baseMedian = median(base);
  const newMedian = median(next);
  const change = baseMedian !== null && newMedian !== null && baseMedian !== 0 ? (newMedian - baseMedian) / baseMedian : null;
  if (base.length < MIN_SAMPLES || next.length < MIN_SAMPLES) return { baseMedian, newMedian, change, pValue: null, verdict: "insufficient data" };
  const { pValue } = rankSumTest(next, base);
  const limit = Math.max(settings.tolerance, band ?? 0);
  const large = change !== null && Math.abs(change) > limit && (metric.unit !== "ms" || Math.abs((newMedian as number) - (baseMedian as number)) > settings.minDeltaMs);
  const worse = change !== null && (metric.better === "lower" ? change > 0 : change < 0);
  const significant = pValue < settings.alpha;
  const verdict: MetricVerdict = !(significant && large) ? "within noise" : worse ? "regression" : "improvement";
  return { baseMedian, newMedian, change, pValue, verdict };
}

const entryKey = (e: RunEntryResult) => `${e.adapter}\u0000${e.scenario}`;
const isNumber = (x: number | null): x is number => x !== null && Number.isFinite(x);

/** Compares the entries both sides have, matched by adapter and scenario name. */
export function compareRuns(base: readonly RunResult[], next: readonly RunResult[], settings: ComparisonSettings): RunComparison {
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
    const perRun = (side: RunEntryResult[], m: MetricDefinition) => side.map((e) => m.perInterval(e).filter(isNumber));
    const metrics = METRICS.map((m): MetricComparison => {
      const baseRuns = perRun(baseSide, m);
      const b = baseRuns.flat();
      const n = perRun(newSide, m).flat();
      const band = noiseBand(baseRuns);
      return { metric: m.metric, unit: m.unit, better: m.better, ...compareSamples(b, n, m, settings, band), noiseBand: band, samples: { base: b.length, new: n.length } };
    });
    entries.push({ adapter: first.adapter, scenario: first.scenario, workload: first.workload, metrics, verdict: entryVerdict(metrics) });
  }
  for (const [key, baseSide] of baseEntries) {
    const first = baseSide[0] as RunEntryResult;
    if (!newEntries.has(key)) unmatched.push({ adapter: first.adapter, scenario: first.scenario, side: "base" });
  }
  return {
    settings,
    baseRuns: base.map((r) => r.runId),
    newRuns: next.map((r) => r.runId),
    entries,
    caveat:
      base.length < 2
        ? "the baseline is a single run, so how much a whole run shifts with the machine's state is not measured: on a shared machine expect some false alarms (docs/BENCHMARKS.md); a baseline of 3 repeated runs measures it"
        : null,
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
