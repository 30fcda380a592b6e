import { DashboardBuilder, DatasourceVariableBuilder, QueryVariableBuilder, VariableRefresh, VariableSort } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";

/** Pieces every eventbench dashboard shares: the data source variable and the run/adapter/workload filters. */
export const prometheus = { type: "prometheus", uid: "${datasource}" };

export function query(expr: string, legend?: string): DataqueryBuilder {
  const q = new DataqueryBuilder().datasource(prometheus).expr(expr);
  return legend ? q.legendFormat(legend) : q;
}

export const datasourceVariable = () => new DatasourceVariableBuilder("datasource").label("Prometheus").type("prometheus");

/** A filter from the label values of a metric every run exports. */
export function labelVariable(label: "run" | "adapter" | "workload", multi: boolean): QueryVariableBuilder {
  return new QueryVariableBuilder(label)
    .label(label)
    .datasource(prometheus)
    .query(`label_values(eventbench_events_acked_total, ${label})`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(multi)
    .includeAll(multi);
}

/** The selector the filters make, for use inside a metric's braces. */
export const SELECTED = 'run=~"$run", adapter=~"$adapter", workload=~"$workload"';

/**
 * A latency quantile of the selected series from eventbench_latency_seconds's buckets, summed over
 * runs and workers before the quantile is taken (that is what a histogram allows and quantiles do not).
 */
export function latencyQuantile(q: number, kind: "publish" | "e2e", by: string[] = []): string {
  return `histogram_quantile(${q}, sum by (${[...by, "le"].join(", ")}) (rate(eventbench_latency_seconds_bucket{${SELECTED}, kind="${kind}"}[$__rate_interval])))`;
}

/** A dashboard with eventbench's common header: live refresh, last 15 minutes, and the filters. */
export function eventbenchDashboard(title: string, uid: string, oneRunOneAdapter: boolean): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .tags(["eventbench"])
    .refresh("5s")
    .time({ from: "now-15m", to: "now" })
    .timezone("browser")
    .withVariable(datasourceVariable())
    .withVariable(labelVariable("run", !oneRunOneAdapter))
    .withVariable(labelVariable("adapter", !oneRunOneAdapter))
    .withVariable(labelVariable("workload", true));
}
