import { percentileMs } from "../../../harness/measurement/latency-histogram.js";
import type { WorkloadCurve } from "../../../harness/result/result-schema.js";
import type { WorkloadDefinition } from "../workload.js";
import { figure, latencyFigure, percentage } from "../workload-figures.js";

const BUCKET_PREFIX = "rehydrate:";

/**
 * Event sourcing: commands append 1..k events to one aggregate with the version the producer
 * expects it at; a stale version is a conflict the store rejects (counted, not an error). Several
 * producers on the same aggregates, or a `staleness` share of deliberately stale commands, provoke
 * them. Periodic rehydrations read an aggregate back and fold it, from a snapshot when there is one.
 */
export const eventStore: WorkloadDefinition = {
  name: "event-store",
  description: "commands append events with expected versions (conflicts counted); aggregates are rehydrated, optionally from snapshots",
  requires(plan) {
    const needs: ReturnType<WorkloadDefinition["requires"]> = ["optimisticConcurrency"];
    // Rehydration reads aggregates; so does a producer learning the version another producer left.
    if (plan.eventStore?.rehydrate || plan.producers > 1) needs.push("readAggregate");
    if (plan.consumersPerGroup > 1) needs.push("consumerGroups");
    return needs;
  },
  results(_plan, m) {
    const commands = m.counter("commands");
    const conflicts = m.counter("commandConflicts");
    const rehydrations = m.counter("rehydrations");
    const acked = m.counter("acked");
    const figures = [
      figure("commands", commands, "commands", "appends of one command's events to one aggregate, with an expected version"),
      figure(
        "command rate",
        m.steadySeconds > 0 ? m.steadyCounter("commands") / m.steadySeconds : null,
        "commands/s",
        "steady state; the scenario's rate and throughput.target are commands/s, throughput's sent/acked count events",
      ),
      figure("conflicts", conflicts, "commands", "commands the store rejected because their expected version was stale"),
      figure("conflict rate", percentage(conflicts, commands), "%", "conflicts / commands"),
      figure("stale commands sent", m.counter("staleCommands"), "commands", "commands sent one version behind on purpose (scenario staleness)"),
      figure("stale commands accepted", m.counter("staleAccepted"), "commands", "stale commands the store did not reject: must be 0"),
      figure("reloads after a conflict", m.counter("reloads"), "reads", "versions re-read after another producer's write made a command stale"),
      figure("rehydrations", rehydrations, "reads"),
      latencyFigure(m, "rehydrate", "rehydration p50", 50, "intended time → aggregate read back and folded (steady state)"),
      latencyFigure(m, "rehydrate", "rehydration p99", 99),
      figure("events folded per rehydration", rehydrations > 0 ? m.counter("eventsFolded") / rehydrations : null, "events", "fewer than the aggregate's length when rehydrating from a snapshot"),
      figure("rehydrations from a snapshot", m.counter("snapshotReads"), "reads"),
      figure("rehydrations of a wrong length", m.counter("rehydrateLengthMismatches"), "reads", "reads whose events did not add up to the version the store reported: must be 0"),
      figure("events read back at the end", m.storedEvents, "events", "every aggregate read back whole after the run (null above 10,000 aggregates)"),
      figure(
        "acknowledged events not read back",
        m.storedEvents === null ? null : acked - m.storedEvents,
        "events",
        "acknowledged appends minus events read back at the end: must be 0",
      ),
    ];
    return { figures, curves: [rehydrationByLength(m)] };
  },
};

function rehydrationByLength(m: Parameters<NonNullable<WorkloadDefinition["results"]>>[1]): WorkloadCurve {
  const buckets = m
    .histogramNames(BUCKET_PREFIX)
    .map((name) => ({ name, length: Number(name.slice(BUCKET_PREFIX.length)) }))
    // Empty aggregates (length 0) have no place on a log axis; they are in the rehydration figures.
    .filter((b) => b.length > 0)
    .sort((a, b) => a.length - b.length);
  const series = [50, 99].map((p) => ({
    name: `p${p}`,
    points: buckets.map((b): [number, number] => {
      const h = m.histogram(b.name);
      return [b.length, h ? percentileMs(h, p) : 0];
    }),
  }));
  return {
    id: "rehydration-by-length",
    title: "Rehydration latency by aggregate length (x: lowest length of the power-of-two bucket)",
    xLabel: "aggregate length (events)",
    yLabel: "ms",
    xScale: "log",
    yScale: "linear",
    series,
  };
}
