import { RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as Timeseries } from "@grafana/grafana-foundation-sdk/timeseries";
import { eventbenchDashboard, query, SELECTED } from "./dashboard-parts.js";

/** Is the harness keeping up? Its own event loop, memory, CPU, and the send rate against target. */
export function harnessDashboard() {
  return eventbenchDashboard("eventbench / harness health", "eventbench-harness", false)
    .withRow(new RowBuilder("Scheduler"))
    .withPanel(
      new Timeseries()
        .title("Sent vs target events/s (a gap without back-pressure means the harness is behind)")
        .unit("ops")
        .span(24)
        .height(8)
        .withTarget(query(`sum by (adapter) (rate(eventbench_events_sent_total{${SELECTED}}[$__rate_interval]))`, "{{adapter}} sent"))
        .withTarget(query(`sum by (adapter) (eventbench_target_events_per_second{${SELECTED}})`, "{{adapter}} target")),
    )
    .withPanel(
      new Timeseries()
        .title("Producer and consumer threads: event-loop delay p99 (flagged above 50 ms)")
        .unit("s")
        .span(12)
        .height(8)
        .withTarget(query(`max by (adapter) (eventbench_harness_thread_event_loop_delay_seconds{${SELECTED}})`, "{{adapter}}")),
    )
    .withPanel(
      new Timeseries()
        .title("Schedule delay p99 (intended → actual send)")
        .unit("s")
        .span(12)
        .height(8)
        .withTarget(query(`max by (adapter) (eventbench_harness_schedule_delay_seconds{${SELECTED}})`, "{{adapter}}")),
    )
    .withRow(new RowBuilder("Coordinator process"))
    .withPanel(new Timeseries().title("Event-loop lag").unit("s").span(8).height(8).withTarget(query("eventbench_harness_nodejs_eventloop_lag_seconds", "lag")))
    .withPanel(new Timeseries().title("Resident memory").unit("bytes").span(8).height(8).withTarget(query("eventbench_harness_process_resident_memory_bytes", "rss")))
    .withPanel(
      new Timeseries()
        .title("CPU")
        .unit("percentunit")
        .span(8)
        .height(8)
        .withTarget(query("rate(eventbench_harness_process_cpu_seconds_total[$__rate_interval])", "cpu")),
    );
}
