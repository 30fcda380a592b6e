import { adapterDashboard } from "./adapter-dashboard.js";
import { harnessDashboard } from "./harness-dashboard.js";
import { overviewDashboard } from "./overview-dashboard.js";

/** Every dashboard, by the file name its JSON is written to (`dashboards/generated/`). */
export function dashboardCatalog(): Record<string, unknown> {
  return {
    "eventbench-overview.json": overviewDashboard().build(),
    "eventbench-adapter.json": adapterDashboard().build(),
    "eventbench-harness.json": harnessDashboard().build(),
  };
}

export const serializeDashboard = (d: unknown) => `${JSON.stringify(d, null, 2)}\n`;

/** Every PromQL expression the dashboards query, panel targets and variable queries alike. */
export function dashboardQueries(): string[] {
  const exprs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if ((k === "expr" || k === "query") && typeof v === "string" && v.includes("eventbench_")) exprs.push(v);
        else walk(v);
      }
    }
  };
  walk(Object.values(dashboardCatalog()));
  return exprs;
}
