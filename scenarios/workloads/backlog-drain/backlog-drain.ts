import type { WorkloadDefinition } from "../workload.js";
import { figure } from "../workload-figures.js";

/**
 * A backlog is produced with every consumer stopped; then the consumers start and the harness
 * measures how fast they catch up and when nothing acknowledged is left unconsumed (time to zero
 * lag), with the lag curve from the moment they started.
 */
export const backlogDrain: WorkloadDefinition = {
  name: "backlog-drain",
  description: "a backlog produced with consumers stopped, then consumed: catch-up rate and time to zero lag",
  consumersStart: "after-producing",
  requires(plan) {
    return plan.consumersPerGroup > 1 ? ["consumerGroups"] : [];
  },
  results(plan, m) {
    const started = m.marks.consumersStarted ?? null;
    const drained = m.marks.drained ?? null;
    const backlog = m.counter("acked");
    const seconds = started !== null && drained !== null ? drained - started : null;
    // What is left per group, from the harness's own count of consumed events at every flush:
    // exact at each point, where a lag the system reports may be a sample from before it.
    const groups = Math.max(1, plan.consumerGroups);
    // Counts, not the points' rates: catch-up points are 0.05 s apart, the one before them 1 s.
    const remaining: [number, number][] = [[0, backlog]];
    m.timeseries.forEach((p, i) => {
      if (started === null || p.t < started) return;
      const consumed = m.consumedUpToPoint[i] ?? 0;
      remaining.push([Math.round((p.t - started) * 1000) / 1000, Math.max(0, backlog - consumed / groups)]);
    });
    return {
      figures: [
        figure("backlog", backlog, "events", "acknowledged before the consumers started"),
        figure("time to zero lag", seconds, "s", "consumers started → every acknowledged event consumed by every group (found to 0.05 s); null if the drain timed out"),
        figure("catch-up rate", seconds !== null && seconds > 0 ? backlog / seconds : null, "events/s", "backlog / time to zero lag, each group reading all of it"),
        figure("drained", drained !== null ? 1 : 0, "yes=1", "0: the drain timeout ended it first"),
      ],
      curves: [
        {
          id: "catch-up",
          title: "Catch-up: events not yet consumed after the consumers started (per group)",
          xLabel: "seconds since consumers started",
          yLabel: "events behind",
          xScale: "linear",
          yScale: "linear",
          series: [{ name: "not yet consumed", points: remaining }],
        },
      ],
    };
  },
};
