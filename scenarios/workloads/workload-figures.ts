import { percentileMs } from "../../harness/measurement/latency-histogram.js";
import type { WorkloadCurve, WorkloadFigure } from "../../harness/result/result-schema.js";
import type { MeasuredEntry } from "./workload.js";

/** Figure constructors shared by the workloads' `results`, so every figure reads the same way. */
export const figure = (name: string, value: number | null, unit: string, description?: string): WorkloadFigure => ({
  name,
  value: value === null || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000,
  unit,
  ...(description ? { description } : {}),
});

export const percentage = (part: number, whole: number): number | null => (whole > 0 ? (100 * part) / whole : null);

/** pN of a steady-state histogram in ms, or null when nothing was recorded. */
export function latencyFigure(measured: MeasuredEntry, metric: string, name: string, percentile: number, description?: string): WorkloadFigure {
  const h = measured.histogram(metric);
  return figure(name, h && h.totalCount > 0 ? percentileMs(h, percentile) : null, "ms", description);
}

const DISTRIBUTION_PERCENTILES = [50, 75, 90, 95, 99, 99.9, 100];

/** A latency histogram as a percentile → ms curve (the report draws it like any other curve). */
export function distributionCurve(measured: MeasuredEntry, metric: string, id: string, title: string, seriesName: string): WorkloadCurve {
  const h = measured.histogram(metric);
  const points: [number, number][] = h && h.totalCount > 0 ? DISTRIBUTION_PERCENTILES.map((p) => [p, percentileMs(h, p)]) : [];
  return { id, title, xLabel: "percentile", yLabel: "ms", xScale: "linear", yScale: "linear", series: [{ name: seriesName, points }] };
}
