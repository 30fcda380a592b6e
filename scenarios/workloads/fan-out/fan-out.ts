import type { WorkloadDefinition } from "../workload.js";
import { figure, latencyFigure } from "../workload-figures.js";

/**
 * One stream, several independent consumer groups each reading everything: what a topic with
 * many subscribers costs, and whether one group's reading slows another's. Per-group end-to-end
 * latency and lag, and the spread between the best and the worst group.
 */
export const fanOut: WorkloadDefinition = {
  name: "fan-out",
  description: "one stream read in full by several independent consumer groups; per-group latency and lag",
  requires(plan) {
    return plan.consumersPerGroup > 1 ? ["consumerGroups"] : [];
  },
  results(plan, m) {
    const groups = Object.keys(m.lagByGroup).sort((a, b) => Number(a.split("-")[1]) - Number(b.split("-")[1]));
    const p99 = groups.map((g) => latencyFigure(m, `e2e:${g}`, `${g} end-to-end p99`, 99));
    const values = p99.map((f) => f.value).filter((v): v is number => v !== null);
    const figures = [
      figure("groups", plan.consumerGroups, "groups"),
      ...groups.flatMap((g, i) => [
        latencyFigure(m, `e2e:${g}`, `${g} end-to-end p50`, 50),
        p99[i] as (typeof p99)[number],
        figure(`${g} lag max`, m.lagByGroup[g]?.maxEvents ?? null, "events"),
      ]),
      figure(
        "worst / best group p99",
        values.length === groups.length && Math.min(...values) > 0 ? Math.max(...values) / Math.min(...values) : null,
        "×",
        "1 when every group is served alike; above it, some group is read slower",
      ),
    ];
    const curve = (p: number) => ({
      name: `p${p}`,
      points: groups.flatMap((g, i): [number, number][] => {
        const f = latencyFigure(m, `e2e:${g}`, g, p);
        return f.value === null ? [] : [[i + 1, f.value]];
      }),
    });
    return {
      figures,
      curves: [{ id: "latency-by-group", title: "End-to-end latency by consumer group", xLabel: "group", yLabel: "ms", xScale: "linear", yScale: "linear", series: [curve(50), curve(99)] }],
    };
  },
};
