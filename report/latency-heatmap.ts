import { HistogramLogReader, type JsHistogram } from "hdr-histogram-js";
import type { TimeWindow } from "./report-model.js";

/**
 * A latency heatmap over time from an entry's interval histograms (its .hlog): one column per
 * interval, one row per latency band on a log axis, each cell the events of that interval whose
 * latency fell in the band. Shows what a p99 line cannot: two modes, a stall that moves the whole
 * distribution, a tail that thickens.
 */
export interface HeatmapSpec {
  readonly id: string;
  readonly title: string;
  /** Each interval's [start, end], seconds since the entry's start. */
  readonly intervals: readonly (readonly [number, number])[];
  /** Row edges in ms, log-spaced: row i spans edgesMs[i] up to edgesMs[i + 1]. */
  readonly edgesMs: readonly number[];
  /** counts[interval][row]. */
  readonly counts: readonly (readonly number[])[];
  readonly windows?: readonly TimeWindow[];
  /** The x axis the scenario's timelines share. */
  readonly xRange?: readonly [number, number];
}

/** Rows per decade of latency: fine enough to separate modes, few enough for a small report. */
export const ROWS_PER_DECADE = 8;

/**
 * The heatmap of the intervals whose tag starts with `tagPrefix` ("e2e:" merges every consumer
 * group's), or null when the log holds none with a value. Values are recorded in microseconds.
 */
export function latencyHeatmap(id: string, title: string, hlog: string, tagPrefix: string): Omit<HeatmapSpec, "windows" | "xRange"> | null {
  const reader = new HistogramLogReader(hlog);
  const byStart = new Map<number, { startMs: number; endMs: number; values: [number, number][] }>();
  let firstStartMs = Infinity;
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
    firstStartMs = Math.min(firstStartMs, h.startTimeStampMsec);
    // The untagged line of an interval holds every group's end-to-end latency again: left out, not counted twice.
    if (!(h.tag ?? "").startsWith(tagPrefix) || h.totalCount === 0) continue;
    const key = Math.round(h.startTimeStampMsec);
    const interval = byStart.get(key) ?? { startMs: h.startTimeStampMsec, endMs: h.endTimeStampMsec, values: [] };
    const it = (h as JsHistogram).recordedValuesIterator;
    it.reset();
    while (it.hasNext()) {
      const v = it.next();
      interval.values.push([(h as JsHistogram).medianEquivalentValue(v.valueIteratedTo) / 1000, v.countAtValueIteratedTo]);
    }
    byStart.set(key, interval);
  }
  const intervals = [...byStart.values()].sort((a, b) => a.startMs - b.startMs);
  const all = intervals.flatMap((i) => i.values.map(([ms]) => ms)).filter((ms) => ms > 0);
  if (all.length === 0) return null;
  const low = Math.floor(Math.log10(Math.min(...all)));
  const high = Math.ceil(Math.log10(Math.max(...all)) + 1e-9);
  const rows = Math.max(1, (high - low) * ROWS_PER_DECADE);
  const edgesMs = Array.from({ length: rows + 1 }, (_, i) => round(10 ** (low + i / ROWS_PER_DECADE)));
  const rowOf = (ms: number) => Math.min(rows - 1, Math.max(0, Math.floor((Math.log10(ms) - low) * ROWS_PER_DECADE)));
  return {
    id,
    title,
    intervals: intervals.map((i) => [round((i.startMs - firstStartMs) / 1000), round((i.endMs - firstStartMs) / 1000)] as const),
    edgesMs,
    counts: intervals.map((i) => {
      const row = new Array<number>(rows).fill(0);
      for (const [ms, count] of i.values) {
        const r = rowOf(Math.max(ms, 10 ** low));
        row[r] = (row[r] as number) + count;
      }
      return row;
    }),
  };
}

const round = (x: number) => Number(x.toPrecision(6));
