import { RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as Heatmap } from "@grafana/grafana-foundation-sdk/heatmap";
import { PanelBuilder as Timeseries } from "@grafana/grafana-foundation-sdk/timeseries";
import { PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { eventbenchDashboard, latencyQuantile, query, SELECTED } from "./dashboard-parts.js";

/** One adapter in depth: the whole latency picture, throughput, errors and lag. */
export function adapterDashboard() {
  const quantiles = (kind: "publish" | "e2e") =>
    [0.5, 0.9, 0.99, 0.999].reduce(
      (panel, q) => panel.withTarget(query(latencyQuantile(q, kind), `p${q * 100}`)),
      new Timeseries()
        .title(`${kind === "publish" ? "Publish (intended send → ack)" : "End-to-end (intended send → received)"} latency`)
        .unit("s")
        .span(12)
        .height(8),
    );
  return eventbenchDashboard("eventbench / adapter", "eventbench-adapter", true)
    .withRow(new RowBuilder("Latency"))
    .withPanel(quantiles("publish"))
    .withPanel(quantiles("e2e"))
    .withPanel(
      new Heatmap()
        .title("Publish latency, distribution over time")
        .description("Events per latency bucket per interval, from eventbench_latency_seconds's buckets (filled from the HdrHistograms).")
        .calculate(false)
        .span(24)
        .height(8)
        .withTarget(
          query(`sum by (le) (increase(eventbench_latency_seconds_bucket{${SELECTED}, kind="publish"}[$__rate_interval]))`, "{{le}}").format(PromQueryFormat.Heatmap),
        ),
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
        .withTarget(query(`sum(eventbench_target_events_per_second{${SELECTED}})`, "target")),
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
