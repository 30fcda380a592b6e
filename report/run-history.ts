import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { ConfigError } from "../harness/errors/errors.js";
import type { RunEntryResult, RunResult } from "../harness/result/result-schema.js";
import { median } from "../harness/measurement/sample-median.js";
import { historyMetric, HISTORY_METRICS, type HistoryMetric } from "./history-metrics.js";
import { findRunFolders, readRunResult } from "./run-results.js";
import { RESULT_FILE } from "../harness/result/result-writer.js";
import { compareRuns, comparedMetricOf, comparisonSettingsOf, type MetricComparison, type RunComparison } from "./run-comparison.js";

/**
 * `eventbench history`'s data: many runs' result.json (the nightly results), one series per
 * adapter × scenario for each chosen metric, each run judged against the baseline by the same
 * comparison `eventbench compare` makes.
 */

/**
 * One point along the history: a run, or the repeats of one night (`ci --repeat 3` leaves
 * `<runId>/run-1` … `run-3`, and its report.html in `<runId>/`), compared with the baseline
 * together as `ci` compared them.
 */
export interface HistoryRun {
  /** The folder whose report.html the point links. */
  readonly dir: string;
  /** The run id, or the repeats' folder name. */
  readonly name: string;
  /** One result, or the repeats in name order. */
  readonly results: readonly RunResult[];
}

/**
 * The runs the arguments name, oldest first: a run folder is one; in a folder, each sub-folder
 * holding a result.json is one, and each sub-folder whose own sub-folders hold them is one run
 * of those repeats.
 */
export async function readRunHistory(dirs: readonly string[]): Promise<HistoryRun[]> {
  const folders = new Set<string>();
  const repeats = new Set<string>();
  for (const d of dirs) {
    const dir = resolve(d);
    if (existsSync(join(dir, RESULT_FILE))) {
      folders.add(dir);
      continue;
    }
    const found = await findRunFolders(dir).catch((): string[] => []);
    const nights: string[] = [];
    for (const name of await subFolders(dir)) if (!found.includes(join(dir, name)) && (await hasRunFolders(join(dir, name)))) nights.push(join(dir, name));
    // Neither runs nor repeats: the error of a folder with no run in it, naming it.
    if (found.length === 0 && nights.length === 0) await findRunFolders(dir);
    for (const f of found) folders.add(f);
    for (const f of nights) repeats.add(f);
  }
  const runs: HistoryRun[] = [];
  for (const dir of folders) {
    const result = await readRunResult(dir);
    runs.push({ dir, name: result.runId, results: [result] });
  }
  for (const dir of repeats) {
    const results: RunResult[] = [];
    for (const f of await findRunFolders(dir)) results.push(await readRunResult(f));
    runs.push({ dir, name: basename(dir), results });
  }
  return runs.sort((a, b) => startOf(a).localeCompare(startOf(b)) || a.dir.localeCompare(b.dir));
}

const startOf = (r: HistoryRun) => (r.results[0] as RunResult).startedAt;

async function subFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

async function hasRunFolders(dir: string): Promise<boolean> {
  return findRunFolders(dir).then(
    (f) => f.length > 0 && f[0] !== dir,
    () => false,
  );
}

/** The metrics named on the command line; a name the history does not plot lists those it does. */
export function chosenMetrics(names: readonly string[]): HistoryMetric[] {
  return names.map((name) => {
    const m = historyMetric(name);
    if (!m) throw new ConfigError(`--metric ${name}`, `not a metric the history plots; expected one of ${HISTORY_METRICS.map((x) => x.name).join(", ")} (their paths in a run entry of result.json)`);
    return m;
  });
}

export interface HistoryPoint {
  /** Index of the run in `HistoryModel.runs`: the x of the point. */
  readonly run: number;
  readonly value: number;
  /** The comparison's verdict on this metric, when a baseline was given and it judges this metric. */
  readonly verdict: MetricComparison["verdict"] | null;
  /** The change the comparison measured (per-second medians), for the point's tooltip. */
  readonly change: number | null;
}

export interface HistorySeries {
  /** `adapter / scenario` */
  readonly name: string;
  readonly points: readonly HistoryPoint[];
  /** The metric's median over the baseline's runs of this entry; null without one. */
  readonly baseline: number | null;
}

export interface HistoryChart {
  readonly metric: HistoryMetric;
  /** The comparison's metric that judges this one (`end-to-end p99`); null: not judged. */
  readonly comparedAs: string | null;
  readonly series: readonly HistorySeries[];
}

export interface HistoryRunRow {
  /** The run id, or the repeats' folder name. */
  readonly runId: string;
  /** How many runs the point pools (1 unless repeats). */
  readonly repeats: number;
  readonly startedAt: string;
  readonly status: RunResult["status"];
  readonly dir: string;
  /** True when report.html is in the run's folder (the page links it). */
  readonly hasReport: boolean;
  /** The run is (or its repeats hold) one of the baseline's runs (same run id). */
  readonly isBaseline: boolean;
  /** What the comparison against the baseline found regressed, `adapter / scenario: metric +12%`. */
  readonly regressions: readonly string[];
}

export interface HistoryModel {
  readonly runs: readonly HistoryRunRow[];
  readonly charts: readonly HistoryChart[];
  /** The baseline's run ids; null without a baseline. */
  readonly baseline: { readonly path: string; readonly runIds: readonly string[] } | null;
}

export interface HistoryOptions {
  readonly metrics: readonly HistoryMetric[];
  readonly baseline?: { readonly path: string; readonly runs: readonly RunResult[] };
  readonly tolerance?: number;
  readonly alpha?: number;
}

const entryKey = (e: Pick<RunEntryResult, "adapter" | "scenario">) => `${e.adapter} / ${e.scenario}`;
const pct = (x: number | null) => (x === null ? "" : ` ${x > 0 ? "+" : ""}${(x * 100).toFixed(1)}%`);

export function buildHistory(runs: readonly HistoryRun[], o: HistoryOptions): HistoryModel {
  const baseline = o.baseline;
  const comparisons: (RunComparison | null)[] = runs.map((r) => (baseline ? compareRuns(baseline.runs, r.results, comparisonSettingsOf(r.results[0] as RunResult, o)) : null));
  const verdictOf = (i: number, e: RunEntryResult, metric: string | null) => {
    const m = metric ? comparisons[i]?.entries.find((c) => entryKey(c) === entryKey(e))?.metrics.find((x) => x.metric === metric) : undefined;
    return { verdict: m?.verdict ?? null, change: m?.change ?? null };
  };
  const keys = [...new Set(runs.flatMap((r) => r.results.flatMap((x) => x.runs.map(entryKey))))];
  const charts = o.metrics.map((metric): HistoryChart => {
    const comparedAs = baseline ? (comparedMetricOf(metric.name) ?? null) : null;
    const series = keys.flatMap((key): HistorySeries[] => {
      const points = runs.flatMap((r, i): HistoryPoint[] => {
        // Repeats: the median of their values, as the comparison pools them.
        const entries = r.results.flatMap((x) => x.runs.filter((e) => entryKey(e) === key));
        const value = median(entries.map(metric.value).filter((v): v is number => v !== null && Number.isFinite(v)));
        return entries[0] && value !== null ? [{ run: i, value, ...verdictOf(i, entries[0], comparedAs) }] : [];
      });
      if (points.length === 0) return [];
      const baseValues = (baseline?.runs ?? []).flatMap((r) => r.runs.filter((x) => entryKey(x) === key).map(metric.value)).filter((v): v is number => v !== null);
      return [{ name: key, points, baseline: median(baseValues) }];
    });
    return { metric, comparedAs, series };
  });
  const baseIds = new Set(baseline?.runs.map((r) => r.runId) ?? []);
  return {
    runs: runs.map((r, i) => ({
      runId: r.name,
      repeats: r.results.length,
      startedAt: startOf(r),
      status: r.results.find((x) => x.status !== "passed")?.status ?? "passed",
      dir: r.dir,
      hasReport: existsSync(join(r.dir, "report.html")),
      isBaseline: r.results.some((x) => baseIds.has(x.runId)),
      regressions: (comparisons[i]?.entries ?? []).flatMap((e) => e.metrics.filter((m) => m.verdict === "regression").map((m) => `${entryKey(e)}: ${m.metric}${pct(m.change)}`)),
    })),
    charts,
    baseline: baseline ? { path: baseline.path, runIds: [...baseIds] } : null,
  };
}
