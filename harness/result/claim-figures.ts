import { ConfigError } from "../errors/errors.js";
import type { RunEntryResult, WorkloadFigure } from "./result-schema.js";
import type { WorkloadScenario } from "../scenario/scenario-schema.js";

export type ClaimSpec = NonNullable<WorkloadScenario["claims"]>[number];

const LATENCY_FIELDS = ["count", "min", "mean", "p50", "p90", "p99", "p999", "max"] as const;

/** Metrics a claim's `measure` can name besides a workload figure, with their unit. */
const METRICS: Readonly<Record<string, { unit: string; read: (e: Omit<RunEntryResult, "thresholds" | "status">) => number | null }>> = {
  ...Object.fromEntries(
    (["publish", "endToEnd", "service"] as const).flatMap((kind) =>
      LATENCY_FIELDS.map((f) => [`latency.${kind}.${f}`, { unit: f === "count" ? "events" : "ms", read: (e: Omit<RunEntryResult, "thresholds" | "status">) => (e.latency[kind].count > 0 ? e.latency[kind][f] : null) }]),
    ),
  ),
  "throughput.acked": { unit: "events/s", read: (e) => e.throughput.acked },
  "throughput.consumed": { unit: "events/s", read: (e) => e.throughput.consumed },
  "delivery.outOfOrder%": { unit: "%", read: (e) => (e.delivery.consumed > 0 ? (100 * e.delivery.outOfOrder) / e.delivery.consumed : null) },
  "delivery.duplicated%": { unit: "%", read: (e) => (e.delivery.consumed > 0 ? (100 * e.delivery.duplicated) / e.delivery.consumed : null) },
  "consumerLag.maxMs": { unit: "ms", read: (e) => e.consumerLag.maxMs },
};

/** Checked when the scenario is loaded, so a typo fails before any server starts. */
export function checkClaimMeasure(measure: string, where: string): void {
  if (measure.startsWith("figure:") || measure.startsWith("none:") || METRICS[measure]) return;
  throw new ConfigError(where, `"${measure}" is not measurable; expected "figure:<name>", "none: <why>" or one of ${Object.keys(METRICS).join(", ")}`);
}

/**
 * Puts each claim about this entry's adapter beside what was measured: on the workload figure it
 * names, or as a figure of its own read from the result. A claim that cannot be checked here
 * still appears, with no value and the reason, so the seed-claims table is never silently short.
 */
export function withClaims(entry: Omit<RunEntryResult, "thresholds" | "status">, claims: readonly ClaimSpec[]): WorkloadFigure[] {
  const figures = [...entry.figures];
  for (const c of claims.filter((x) => x.adapters.includes(entry.adapter))) {
    const claim = { source: `${c.id}: ${c.source}`, published: c.claim, scaling: c.scaling };
    if (c.measure.startsWith("figure:")) {
      const name = c.measure.slice("figure:".length).trim();
      const i = figures.findIndex((f) => f.name === name);
      const base = i >= 0 ? (figures[i] as WorkloadFigure) : { name, value: null, unit: "", description: "the workload did not report this figure" };
      const claimed = { ...base, name: `${c.id}: ${name}`, claim };
      if (i >= 0) figures.splice(i + 1, 0, claimed);
      else figures.push(claimed);
    } else if (c.measure.startsWith("none:")) {
      figures.push({ name: `${c.id}: not measured`, value: null, unit: "", description: c.measure.slice("none:".length).trim(), claim });
    } else {
      const metric = METRICS[c.measure] as (typeof METRICS)[string];
      const value = metric.read(entry);
      figures.push({ name: `${c.id}: ${c.measure}`, value: value === null ? null : Math.round(value * 1000) / 1000, unit: metric.unit, claim });
    }
  }
  return figures;
}
