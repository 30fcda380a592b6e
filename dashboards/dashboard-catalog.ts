import { adapterDashboard } from "./adapter-dashboard.js";
import { harnessDashboard } from "./harness-dashboard.js";
import { overviewDashboard } from "./overview-dashboard.js";

/** Every dashboard, by the file name its JSON is written to (`dashboards/generated/`). */
export function dashboardCatalog(): Record<string, unknown> {
  return {
    "eventbench-overview.json": asGrafanaSchema(overviewDashboard().build()),
    "eventbench-adapter.json": asGrafanaSchema(adapterDashboard().build()),
    "eventbench-harness.json": asGrafanaSchema(harnessDashboard().build()),
  };
}

/** Fields the foundation SDK's builders set on every variable that Grafana's schema (@grafana/schema 13) has on none. */
const FIELDS_GRAFANA_LACKS = ["auto", "auto_min", "auto_count"] as const;

/**
 * The SDK's VariableModel carries the interval variable's `auto*` settings on every variable kind;
 * Grafana's own schema does not know them, so they go (a test type-checks the JSON against it).
 */
function asGrafanaSchema<D extends { templating?: { list?: object[] } }>(dashboard: D): D {
  for (const variable of dashboard.templating?.list ?? []) for (const field of FIELDS_GRAFANA_LACKS) delete (variable as Record<string, unknown>)[field];
  return dashboard;
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
