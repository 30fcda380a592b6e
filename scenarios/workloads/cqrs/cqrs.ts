import type { WorkloadDefinition } from "../workload.js";
import { distributionCurve, figure, latencyFigure, percentage } from "../workload-figures.js";

/**
 * CQRS: commands become events (the producers); the first consumer group projects them into a
 * read model (an in-process map, or Redis hashes); queries read the read model at their own rate,
 * each reading back the latest acknowledged command of a producer (read-your-writes).
 */
export const cqrs: WorkloadDefinition = {
  name: "cqrs",
  description: "commands become events; a consumer group projects them into a read model that queries read at their own rate",
  requires(plan) {
    return plan.consumersPerGroup > 1 ? ["consumerGroups"] : [];
  },
  results(plan, m) {
    const queries = m.counter("queries");
    const ryw = m.counter("rywQueries");
    const misses = m.counter("rywMisses");
    const figures = [
      latencyFigure(m, "projection", "projection lag p50", 50, "broker acknowledged the command's event → the read model shows it (steady state; 0 when it showed it first)"),
      latencyFigure(m, "projection", "projection lag p99", 99),
      latencyFigure(m, "projection", "projection lag max", 100),
      figure("projection lag samples lost", m.counter("projectionLagOverwritten"), "events", "acknowledgement and projection did not meet (more commands of one aggregate awaiting projection than it has slots: 64, fewer above 65,536 aggregates)"),
      figure("queries", queries, "queries", `read-model queries at ${plan.cqrs?.queryRate ?? 0}/s (warm-up and steady state)`),
      figure("query rate", m.steadySeconds > 0 ? m.steadyCounter("queries") / m.steadySeconds : null, "queries/s", "steady state"),
      latencyFigure(m, "query", "query p50", 50, "intended time → answer (steady state)"),
      latencyFigure(m, "query", "query p99", 99),
      figure("query errors", m.counter("queryErrors"), "queries"),
      figure("read-your-writes queries", ryw, "queries", "queries reading back the latest acknowledged command of a producer"),
      figure("read-your-writes misses", misses, "queries", "queries that did not show that command yet"),
      figure("read-your-writes miss rate", percentage(misses, ryw), "%"),
      latencyFigure(m, "staleness", "staleness p50", 50, "the missing answer → the projector made the command visible"),
      latencyFigure(m, "staleness", "staleness p99", 99),
      figure("misses never seen", m.counter("rywNeverSeen"), "queries", "misses still not shown after 10 s"),
      figure("events not in the read model at the end", m.notVisibleAtEnd, "events", "sent events whose aggregate's read-model row does not show them after the drain: 0 unless appends failed"),
      figure("projection errors", m.counter("projectionErrors"), "batches"),
    ];
    return {
      figures,
      curves: [
        distributionCurve(m, "projection", "projection-lag", "Projection lag (acknowledged → visible in the read model)", "projection lag"),
        distributionCurve(m, "query", "query-latency", "Read-model query latency", "query"),
        distributionCurve(m, "staleness", "read-your-writes-staleness", "Read-your-writes staleness of the queries that missed", "staleness"),
      ],
    };
  },
};
