import { RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as Stat } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as Timeseries } from "@grafana/grafana-foundation-sdk/timeseries";
import { eventbenchDashboard, latencyQuantile, query, SELECTED } from "./dashboard-parts.js";

/** Adapters side by side: throughput against target, latency tails, lag. */
export function overviewDashboard() {
  return eventbenchDashboard("eventbench / overview", "eventbench-overview", false)
    .withRow(new RowBuilder("Throughput"))
    .withPanel(
      new Stat()
        .title("Acknowledged events/s")
        .unit("ops")
        .span(6)
        .height(5)
        .withTarget(query(`sum by (adapter) (rate(eventbench_events_acked_total{${SELECTED}}[$__rate_interval]))`, "{{adapter}}")),
    )
    .withPanel(
      new Timeseries()
        .title("Acknowledged vs target events/s")
        .unit("ops")
        .span(18)
        .height(8)
        .withTarget(query(`sum by (adapter) (rate(eventbench_events_acked_total{${SELECTED}}[$__rate_interval]))`, "{{adapter}} acked"))
        .withTarget(query(`max by (adapter) (eventbench_target_events_per_second{${SELECTED}})`, "{{adapter}} target")),
    )
    .withRow(new RowBuilder("Latency (from the HdrHistograms' buckets)"))
    .withPanel(
      new Timeseries()
        .title("Publish latency p99")
        .unit("s")
        .span(12)
        .height(8)
        .withTarget(query(latencyQuantile(0.99, "publish", ["adapter"]), "{{adapter}}")),
    )
    .withPanel(
      new Timeseries()
        .title("End-to-end latency p99")
        .unit("s")
        .span(12)
        .height(8)
        .withTarget(query(latencyQuantile(0.99, "e2e", ["adapter"]), "{{adapter}}")),
    )
    .withRow(new RowBuilder("Consumer lag"))
    .withPanel(
      new Timeseries()
        .title("Lag (events)")
        .span(12)
        .height(8)
        .withTarget(query(`max by (adapter) (eventbench_consumer_lag_events{${SELECTED}})`, "{{adapter}}")),
    )
    .withPanel(
      new Timeseries()
        .title("Lag (age of the oldest unacknowledged event)")
        .unit("s")
        .span(12)
        .height(8)
        .withTarget(query(`max by (adapter) (eventbench_consumer_lag_seconds{${SELECTED}})`, "{{adapter}}")),
    );
}
