import { RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as Heatmap } from "@grafana/grafana-foundation-sdk/heatmap";
import { PanelBuilder as Timeseries } from "@grafana/grafana-foundation-sdk/timeseries";
import { eventbenchDashboard, query, SELECTED } from "./dashboard-parts.js";

/** One adapter in depth: the whole latency picture, throughput, errors and lag. */
export function adapterDashboard() {
  const quantiles = (kind: "publish" | "e2e") =>
    new Timeseries()
      .title(`${kind === "publish" ? "Publish (intended send → ack)" : "End-to-end (intended send → received)"} latency`)
      .unit("s")
      .span(12)
      .height(8)
      .withTarget(query(`max by (quantile) (eventbench_latency_seconds{${SELECTED}, kind="${kind}"})`, "q{{quantile}}"));
  return eventbenchDashboard("eventbench / adapter", "eventbench-adapter", true)
    .withRow(new RowBuilder("Latency"))
    .withPanel(quantiles("publish"))
    .withPanel(quantiles("e2e"))
    .withPanel(
      new Heatmap()
        .title("Per-second p99 publish latency, distribution over time")
        .description("Built from each second's p99 as eventbench measured it (the harness exports quantiles, not buckets).")
        .calculate(true)
        .span(24)
        .height(8)
        .withTarget(query(`eventbench_latency_seconds{${SELECTED}, kind="publish", quantile="0.99"}`)),
    )
    .withRow(new RowBuilder("Throughput and errors"))
    .withPanel(
      new Timeseries()
        .title("Events/s")
        .unit("ops")
        .span(12)
        .height(8)
        .withTarget(query(`sum(rate(eventbench_events_sent_total{${SELECTED}}[$__rate_interval]))`, "sent"))
        .withTarget(query(`sum(rate(eventbench_events_acked_total{${SELECTED}}[$__rate_interval]))`, "acked"))
        .withTarget(query(`sum(rate(eventbench_events_consumed_total{${SELECTED}}[$__rate_interval]))`, "consumed"))
        .withTarget(query(`sum(eventbench_target_rate{${SELECTED}})`, "target")),
    )
    .withPanel(
      new Timeseries()
        .title("Failed appends/s")
        .unit("ops")
        .span(12)
        .height(8)
        .withTarget(query(`sum(rate(eventbench_errors_total{${SELECTED}}[$__rate_interval]))`, "errors")),
    )
    .withRow(new RowBuilder("Consumer lag"))
    .withPanel(
      new Timeseries()
        .title("Lag (events)")
        .span(12)
        .height(8)
        .withTarget(query(`sum(eventbench_consumer_lag_events{${SELECTED}})`, "events")),
    )
    .withPanel(
      new Timeseries()
        .title("Lag (age of the oldest unacknowledged event)")
        .unit("s")
        .span(12)
        .height(8)
        .withTarget(query(`max(eventbench_consumer_lag_seconds{${SELECTED}})`, "age")),
    );
}
