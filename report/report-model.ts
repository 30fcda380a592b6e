import type { FaultResult, LatencySummaryJson, RunEntryResult, RunResult, WorkloadFigure } from "../harness/result/result-schema.js";
import { percentileLabel, percentileSpectrum } from "./percentile-spectrum.js";
import type { RunComparison } from "./run-comparison.js";
import { targetNotHeldText } from "../harness/result/entry-status.js";
import { errorMessageText } from "../harness/result/error-message-text.js";
import { harnessWarningCause } from "../harness/runtime/harness-warnings.js";
import { latencyHeatmap, type HeatmapSpec } from "./latency-heatmap.js";

/**
 * Everything the report shows, derived from result.json alone. The HTML, Markdown and JUnit
 * writers only lay this out; every number is computed here, where the tests check it. Nothing in
 * it names a workload or an adapter: new ones appear through the entries' own data.
 */

/** The x axis of every per-second timeline: the charts shaded with the warm-up and fault windows. */
export const TIMELINE_AXIS = "seconds since start";

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number | null])[];
  /** Drawn dashed: a reference (the target rate), not a measurement. */
  readonly reference?: boolean;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xScale: "linear" | "log";
  readonly yScale: "linear" | "log";
  /** Fixed x ticks with labels (the percentile axis); otherwise the library picks them. */
  readonly xTicks?: readonly { readonly value: number; readonly label: string }[];
  readonly series: readonly ChartSeries[];
  /** Areas filled between two series (indices into `series`), upper edge first: a p50–p99 band. */
  readonly bands?: readonly { readonly upper: number; readonly lower: number }[];
  /** Time windows shaded on a timeline: the warm-up, and each fault from its start to its end. */
  readonly windows?: readonly TimeWindow[];
  /** A timeline's x axis, [0, the scenario's last second]: every timeline of a scenario on one axis. */
  readonly xRange?: readonly [number, number];
}

export interface TimeWindow {
  readonly kind: "warmup" | "fault";
  readonly fromS: number;
  readonly toS: number;
  readonly label: string;
}

export interface ComparisonRow {
  readonly adapter: string;
  readonly status: RunEntryResult["status"];
  readonly error?: string;
  readonly server: string;
  readonly client: string;
  readonly target: number;
  readonly acked: number;
  readonly consumed: number;
  /** acked / target; null in closed loop, where there is no target. */
  readonly achievedRatio: number | null;
  readonly publish: LatencySummaryJson;
  readonly endToEnd: LatencySummaryJson;
  readonly lagMaxEvents: number | null;
  readonly lagMaxMs: number | null;
  readonly lagSource: string;
  readonly delivery: { readonly sent: number; readonly acked: number; readonly consumed: number; readonly lost: number; readonly duplicated: number; readonly outOfOrder: number };
  readonly errors: number;
  /** Why appends failed (errorMessageText of delivery.errorMessages), most frequent first. */
  readonly failedAppends: readonly string[];
  readonly conflicts: number;
  readonly harnessFlagged: boolean;
}

export interface ScenarioSection {
  readonly scenario: string;
  /** The section's id in report.html, which the first screen's matrix links to. */
  readonly anchor: string;
  readonly workload: string;
  readonly settings: string;
  /** Timelines start with the warm-up; its end is marked on them. */
  readonly warmupS: number;
  readonly rows: readonly ComparisonRow[];
  readonly charts: readonly ChartSpec[];
  /** Per entry with an interval log in the run folder: its latency heatmap over time. */
  readonly heatmaps: readonly HeatmapSpec[];
  readonly figures: readonly { readonly adapter: string; readonly figure: WorkloadFigure }[];
  readonly faults: readonly { readonly adapter: string; readonly fault: FaultResult }[];
}

export interface ThresholdRow {
  readonly adapter: string;
  readonly scenario: string;
  readonly metric: string;
  readonly expression: string;
  readonly value: number | null;
  readonly passed: boolean;
}

export interface ClaimRow {
  readonly adapter: string;
  readonly scenario: string;
  readonly name: string;
  readonly source: string;
  readonly published: string;
  readonly scaling: string;
  readonly measured: string;
}

export interface EntryWarning {
  readonly adapter: string;
  readonly scenario: string;
  readonly text: string;
}

/** One cause of harness warnings with every entry it touched, each with its own figures. */
export interface WarningGroup {
  readonly cause: string;
  readonly entries: readonly EntryWarning[];
}

/**
 * Every adapter × scenario entry at a glance: one row per scenario, one column per adapter (those
 * that ran and those skipped), `cells[i]` holding adapter i's entries of that scenario (none where
 * it was not run).
 */
export interface EntryMatrix {
  readonly adapters: readonly string[];
  readonly rows: readonly { readonly scenario: string; readonly anchor: string; readonly cells: readonly (readonly ComparisonRow[])[] }[];
}

export interface ReportModel {
  readonly title: string;
  readonly runId: string;
  readonly status: RunResult["status"];
  readonly interrupted: boolean;
  readonly scenario: RunResult["scenario"];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly environment: RunResult["environment"];
  readonly systems: readonly {
    readonly adapter: string;
    readonly server: string;
    readonly client: string;
    /** Why the client is no longer maintained, when it is not. */
    readonly unmaintained?: string;
    readonly endpoint: string;
    readonly provider: string;
  }[];
  readonly thresholds: readonly ThresholdRow[];
  /** Harness warnings: the run may have measured the harness, so they stand beside failures. */
  readonly warnings: readonly EntryWarning[];
  /** The same warnings by cause, causes in the order they first appear. */
  readonly warningGroups: readonly WarningGroup[];
  readonly errors: readonly { readonly adapter: string; readonly scenario: string; readonly text: string }[];
  /** Open-loop entries that acknowledged less than their share of the target; `gate`: the run fails on it. */
  readonly targetsNotHeld: readonly { readonly adapter: string; readonly scenario: string; readonly text: string; readonly gate: boolean }[];
  readonly skipped: RunResult["skipped"];
  /** How the run's figures were derived where that is not obvious (an OMB file, a merge). */
  readonly notes: readonly string[];
  readonly sections: readonly ScenarioSection[];
  readonly matrix: EntryMatrix;
  readonly claims: readonly ClaimRow[];
  readonly comparison: RunComparison | null;
}

/** Percentile axis ticks: 0 %, 90 %, 99 %, … up to the largest x drawn. */
function percentileTicks(maxX: number): { value: number; label: string }[] {
  const ticks = [{ value: 1, label: "0%" }, { value: 2, label: "50%" }];
  for (let x = 10; x <= maxX * 1.0001; x *= 10) ticks.push({ value: x, label: percentileLabel(x) });
  return ticks;
}

function spectrumChart(id: string, title: string, entries: readonly RunEntryResult[], histogram: (e: RunEntryResult) => string[]): ChartSpec | null {
  const series: ChartSeries[] = [];
  for (const e of entries) {
    for (const [i, encoded] of histogram(e).entries()) {
      const points = percentileSpectrum(encoded);
      if (points.length > 0) series.push({ name: histogram(e).length > 1 ? `${e.adapter} group-${i + 1}` : e.adapter, points: points.map((p) => [p.x, p.ms] as const) });
    }
  }
  if (series.length === 0) return null;
  const maxX = Math.max(...series.flatMap((s) => s.points.map((p) => p[0])));
  return { id, title, xLabel: "percentile", yLabel: "latency (ms)", xScale: "log", yScale: "log", xTicks: percentileTicks(maxX), series };
}

function timelineChart(id: string, title: string, yLabel: string, entries: readonly RunEntryResult[], pick: (p: RunEntryResult["timeseries"][number]) => number | null): ChartSpec | null {
  const series: ChartSeries[] = entries
    .map((e) => ({ name: e.adapter, points: e.timeseries.map((p) => [round(p.t, 3), pick(p)] as const) }))
    .filter((s) => s.points.some((p) => p[1] !== null));
  if (series.length === 0) return null;
  return { id, title, xLabel: TIMELINE_AXIS, yLabel, xScale: "linear", yScale: "linear", series };
}

/**
 * One entry's end-to-end latency second by second as p50, p99 and max, the p50–p99 and p99–max
 * spans filled: how the distribution moved over time (a p99 line alone hides a widening max).
 * Publish latency where nothing was consumed end to end.
 */
function latencyBandsChart(id: string, e: RunEntryResult): ChartSpec | null {
  const e2e = e.timeseries.some((p) => p.e2eP99 !== null);
  const pick = e2e ? (p: RunEntryResult["timeseries"][number]) => [p.e2eP50, p.e2eP99, p.e2eMax] : (p: RunEntryResult["timeseries"][number]) => [p.publishP50, p.publishP99, p.publishMax];
  const at = (i: number) => e.timeseries.map((p) => [round(p.t, 3), pick(p)[i] ?? null] as const);
  const series: ChartSeries[] = [
    { name: "max", points: at(2) },
    { name: "p99", points: at(1) },
    { name: "p50", points: at(0) },
  ];
  if (!series.some((x) => x.points.some((p) => p[1] !== null))) return null;
  return {
    id,
    title: `${e2e ? "End-to-end" : "Publish"} latency per second, ${e.adapter}: p50, p99, max (ms, log scale)`,
    xLabel: TIMELINE_AXIS,
    yLabel: "ms",
    xScale: "linear",
    yScale: "log",
    series,
    bands: [
      { upper: 0, lower: 1 },
      { upper: 1, lower: 2 },
    ],
  };
}

/** Events per second from the per-interval counts, each divided by its own interval length. */
function perSecond(e: RunEntryResult, pick: (p: RunEntryResult["timeseries"][number]) => number): (p: RunEntryResult["timeseries"][number]) => number | null {
  return (p) => {
    const i = e.timeseries.indexOf(p);
    const seconds = p.t - (i > 0 ? (e.timeseries[i - 1] as (typeof e.timeseries)[number]).t : 0);
    return seconds > 0 ? round(pick(p) / seconds, 1) : null;
  };
}

function rateChart(id: string, entries: readonly RunEntryResult[]): ChartSpec | null {
  // The drain's intervals have nothing to acknowledge: left out, they would read as a collapse.
  const series: ChartSeries[] = entries.map((e) => ({
    name: `${e.adapter} acknowledged`,
    points: e.timeseries.filter((p) => p.phase !== "drain").map((p) => [round(p.t, 3), perSecond(e, (q) => q.acked)(p)] as const),
  }));
  const first = entries[0];
  if (first && first.mode === "open-loop") {
    series.unshift({ name: "target", reference: true, points: first.timeseries.filter((p) => p.phase !== "drain").map((p) => [round(p.t, 3), p.targetRate] as const) });
  }
  return series.length ? { id, title: "Rate: target vs achieved (events/s)", xLabel: TIMELINE_AXIS, yLabel: "events/s", xScale: "linear", yScale: "linear", series } : null;
}

/** A title that names its y axis's unit: a workload's curve titled without it gets its y label. */
const withUnit = (title: string, yLabel: string) => (title.includes(`(${yLabel}`) || title.includes(`, ${yLabel})`) ? title : `${title} (${yLabel})`);

function workloadCharts(scenarioId: string, entries: readonly RunEntryResult[]): ChartSpec[] {
  const byId = new Map<string, ChartSpec>();
  for (const e of entries) {
    for (const c of e.curves) {
      const existing = byId.get(c.id);
      const series = c.series.map((s) => ({ name: entries.length > 1 ? `${e.adapter} ${s.name}` : s.name, points: s.points }));
      byId.set(c.id, existing ? { ...existing, series: [...existing.series, ...series] } : { id: `${scenarioId}-curve-${c.id}`, title: withUnit(c.title, c.yLabel), xLabel: c.xLabel, yLabel: c.yLabel, xScale: c.xScale, yScale: c.yScale, series });
    }
  }
  return [...byId.values()];
}

/** The warm-up and every fault that was applied, for shading on each timeline of a scenario. */
function timeWindows(warmupS: number, entries: readonly RunEntryResult[]): TimeWindow[] {
  const faults = entries.flatMap((e) =>
    (e.faults ?? []).flatMap((f) =>
      f.startedS === null ? [] : [{ kind: "fault" as const, fromS: f.startedS, toS: f.endedS ?? f.startedS, label: entries.length > 1 ? `${e.adapter}: ${f.kind}` : f.kind }],
    ),
  );
  return [...(warmupS > 0 ? [{ kind: "warmup" as const, fromS: 0, toS: warmupS, label: "warm-up" }] : []), ...faults];
}

function settingsLine(e: RunEntryResult): string {
  const s = e.settings;
  // A ramp or a stepped search is described by its peak and by the mean it scheduled (its target).
  const varies = s.stages.some((st) => st.from !== s.targetRate || st.to !== s.targetRate);
  const rate = varies ? `peaking at ${s.targetRate} events/s, ${e.throughput.target} events/s scheduled on average` : `${s.targetRate} events/s`;
  const load = e.mode === "open-loop" ? `${rate} (${e.executor})` : `${s.vus} VUs closed loop`;
  return `${load}, ${s.warmupS} s warm-up + ${s.durationS} s measured, ${s.producers} producer(s), ${s.consumerGroups} group(s) × ${s.consumersPerGroup} member(s), ${s.keys} keys, ${s.payloadSize} B payload, ${s.partitions} partitions, batch ${s.batchSize}${threadsAndMemory(e)}`;
}

/**
 * Threads the harness spread its roles over, its memory start → end (a climb over a long run is a
 * leak), and how close it ran to its own ceiling on this machine.
 */
function threadsAndMemory(e: RunEntryResult): string {
  const t = e.settings.threads;
  const rss = e.harness.rssMiB;
  const c = e.harness.ceiling;
  return [
    t ? `, ${t.producers} producer / ${t.consumers} consumer thread(s)` : "",
    rss ? `, harness RSS ${rss.start.toFixed(0)} → ${rss.end.toFixed(0)} MiB (max ${rss.max.toFixed(0)})` : "",
    c ? `, ${(c.share * 100).toFixed(1)} % of the harness's ceiling here (${Math.round(c.eventsPerSecond).toLocaleString("en-US")} events/s, bench:harness ${c.measuredAt})` : "",
  ].join("");
}

function row(e: RunEntryResult): ComparisonRow {
  return {
    adapter: e.adapter,
    status: e.status,
    ...(e.error ? { error: e.error } : {}),
    server: e.system.server,
    client: e.system.client,
    target: e.throughput.target,
    acked: e.throughput.acked,
    consumed: e.throughput.consumed,
    achievedRatio: e.throughput.target > 0 ? round(e.throughput.acked / e.throughput.target, 3) : null,
    publish: e.latency.publish,
    endToEnd: e.latency.endToEnd,
    lagMaxEvents: e.consumerLag.maxEvents,
    lagMaxMs: e.consumerLag.maxMs,
    lagSource: e.consumerLag.source,
    delivery: { sent: e.delivery.sent, acked: e.delivery.acked, consumed: e.delivery.consumed, lost: e.delivery.lost, duplicated: e.delivery.duplicated, outOfOrder: e.delivery.outOfOrder },
    errors: e.delivery.errors,
    failedAppends: (e.delivery.errorMessages ?? []).map(errorMessageText),
    conflicts: e.delivery.conflicts,
    harnessFlagged: e.harness.flagged,
  };
}

/** An entry's interval log, by `${adapter}-${scenario}` (its file name in the run folder, less .hlog). */
export type IntervalLogs = ReadonlyMap<string, string>;

export const intervalLogName = (e: Pick<RunEntryResult, "adapter" | "scenario">) => `${e.adapter}-${e.scenario}`;

function heatmapOf(id: string, e: RunEntryResult, logs: IntervalLogs): HeatmapSpec | null {
  const log = logs.get(intervalLogName(e));
  if (!log) return null;
  const e2e = latencyHeatmap(id, `End-to-end latency heatmap, ${e.adapter} (events per second and latency band; ms, log scale)`, log, "e2e:");
  return e2e ?? latencyHeatmap(id, `Publish latency heatmap, ${e.adapter} (events per second and latency band; ms, log scale)`, log, "publish");
}

function section(scenario: string, entries: readonly RunEntryResult[], index: number, logs: IntervalLogs): ScenarioSection {
  const id = `s${index}`;
  const e2eHistograms = (e: RunEntryResult) =>
    Object.entries(e.histograms)
      .filter(([k]) => k.startsWith("e2e:"))
      .map(([, v]) => v);
  const charts = [
    spectrumChart(`${id}-publish-spectrum`, "Publish latency by percentile (ms, log scales)", entries, (e) => (e.histograms.publish ? [e.histograms.publish] : [])),
    spectrumChart(`${id}-e2e-spectrum`, "End-to-end latency by percentile (ms, log scales)", entries, e2eHistograms),
    rateChart(`${id}-rate`, entries),
    ...entries.map((e, i) => latencyBandsChart(`${id}-latency-bands-${i}`, e)),
    timelineChart(`${id}-publish-p99`, "Publish p99 per second (ms)", "ms", entries, (p) => p.publishP99),
    timelineChart(`${id}-e2e-p99`, "End-to-end p99 per second (ms)", "ms", entries, (p) => p.e2eP99),
    timelineChart(`${id}-lag-events`, "Consumer lag (events)", "events", entries, (p) => p.lagEvents),
    timelineChart(`${id}-lag-ms`, "Consumer lag (age of oldest unconsumed event, ms)", "ms", entries, (p) => p.lagMs),
    // A soak's memory must stay flat: a climb here is the harness keeping something per event.
    timelineChart(`${id}-rss`, "Harness memory (RSS of the harness process, MiB)", "MiB", entries, (p) => p.rssMiB ?? null),
    ...workloadCharts(id, entries),
  ].filter((c): c is ChartSpec => c !== null);
  const first = entries[0] as RunEntryResult;
  const windows = timeWindows(first.settings.warmupS, entries);
  const xRange = [0, Math.max(1, ...entries.flatMap((e) => e.timeseries.map((p) => round(p.t, 3))))] as const;
  return {
    scenario,
    anchor: id,
    workload: first.workload,
    settings: settingsLine(first),
    warmupS: first.settings.warmupS,
    rows: entries.map(row),
    charts: charts.map((c) => (c.xLabel === TIMELINE_AXIS ? { ...c, xRange, ...(windows.length ? { windows } : {}) } : c)),
    heatmaps: entries.flatMap((e, i) => {
      const h = heatmapOf(`${id}-heatmap-${i}`, e, logs);
      return h ? [{ ...h, xRange, ...(windows.length ? { windows } : {}) }] : [];
    }),
    figures: entries.flatMap((e) => e.figures.filter((f) => f.fault === undefined).map((figure) => ({ adapter: e.adapter, figure }))),
    faults: entries.flatMap((e) => (e.faults ?? []).map((fault) => ({ adapter: e.adapter, fault }))),
  };
}

export function formatFigure(f: WorkloadFigure): string {
  return f.value === null ? "not measured" : `${formatNumber(f.value)}${f.unit === "%" ? "%" : ` ${f.unit}`}`;
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return x.toLocaleString("en-US", { maximumFractionDigits: digits });
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function groupWarnings(warnings: readonly EntryWarning[]): WarningGroup[] {
  const byCause = new Map<string, EntryWarning[]>();
  for (const w of warnings) {
    const cause = harnessWarningCause(w.text);
    byCause.set(cause, [...(byCause.get(cause) ?? []), w]);
  }
  return [...byCause.entries()].map(([cause, entries]) => ({ cause, entries }));
}

function entryMatrix(sections: readonly ScenarioSection[], skipped: RunResult["skipped"]): EntryMatrix {
  const adapters = [...new Set([...sections.flatMap((s) => s.rows.map((r) => r.adapter)), ...skipped.map((s) => s.adapter)])];
  return {
    adapters,
    rows: sections.map((s) => ({ scenario: s.scenario, anchor: s.anchor, cells: adapters.map((a) => s.rows.filter((r) => r.adapter === a)) })),
  };
}

export function buildReportModel(result: RunResult, comparison: RunComparison | null = null, logs: IntervalLogs = new Map()): ReportModel {
  const byScenario = new Map<string, RunEntryResult[]>();
  for (const e of result.runs) byScenario.set(e.scenario, [...(byScenario.get(e.scenario) ?? []), e]);
  const sections = [...byScenario.entries()].map(([name, entries], i) => section(name, entries, i, logs));
  const warnings = result.runs.flatMap((e) => e.harness.warnings.map((text) => ({ adapter: e.adapter, scenario: e.scenario, text })));
  const systems = new Map<string, ReportModel["systems"][number]>();
  for (const e of result.runs) {
    const { server, client, unmaintained, endpoint, provider } = e.system;
    systems.set(e.adapter, { adapter: e.adapter, server, client, ...(unmaintained ? { unmaintained } : {}), endpoint, provider });
  }
  return {
    title: `eventbench: ${result.scenario.name}`,
    runId: result.runId,
    status: result.status,
    interrupted: result.interrupted,
    scenario: result.scenario,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    environment: result.environment,
    systems: [...systems.values()],
    thresholds: result.runs.flatMap((e) => e.thresholds.map((t) => ({ adapter: e.adapter, scenario: e.scenario, ...t }))),
    warnings,
    warningGroups: groupWarnings(warnings),
    errors: result.runs.flatMap((e) => (e.error ? [{ adapter: e.adapter, scenario: e.scenario, text: e.error }] : [])),
    targetsNotHeld: result.runs.flatMap((e) => {
      const text = targetNotHeldText(e);
      return text ? [{ adapter: e.adapter, scenario: e.scenario, text, gate: e.targetHeld?.gate === true }] : [];
    }),
    skipped: result.skipped,
    notes: result.notes ?? [],
    sections,
    matrix: entryMatrix(sections, result.skipped),
    claims: result.runs.flatMap((e) =>
      e.figures.flatMap((f) =>
        f.claim ? [{ adapter: e.adapter, scenario: e.scenario, name: f.name, source: f.claim.source, published: f.claim.published, scaling: f.claim.scaling, measured: formatFigure(f) }] : [],
      ),
    ),
    comparison,
  };
}
