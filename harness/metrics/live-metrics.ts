import client from "prom-client";
import type { TimeseriesPoint } from "../result/result-schema.js";

const LABELS = ["run", "adapter", "workload", "scenario"] as const;
const QUANTILES = [
  ["0.5", "p50"],
  ["0.99", "p99"],
  ["1", "max"],
] as const;

/**
 * The run as Prometheus sees it, updated once per merged interval: nothing is observed per event
 * (prom-client costs ~10× an HDR record), everything is derived from the HDR intervals the harness
 * already merges. Latency quantiles are those of the last interval, as gauges with a `quantile`
 * label (a summary, computed exactly by HdrHistogram instead of by prom-client).
 */
export class LiveMetrics {
  readonly registry = new client.Registry();
  private readonly sent: client.Counter<(typeof LABELS)[number]>;
  private readonly acked: client.Counter<(typeof LABELS)[number]>;
  private readonly consumed: client.Counter<(typeof LABELS)[number]>;
  private readonly errors: client.Counter<(typeof LABELS)[number]>;
  private readonly target: client.Gauge<(typeof LABELS)[number]>;
  private readonly latency: client.Gauge<(typeof LABELS)[number] | "kind" | "quantile">;
  private readonly lagEvents: client.Gauge<(typeof LABELS)[number]>;
  private readonly lagSeconds: client.Gauge<(typeof LABELS)[number]>;
  private readonly eventLoop: client.Gauge<(typeof LABELS)[number]>;
  private readonly scheduleDelay: client.Gauge<(typeof LABELS)[number]>;
  private readonly lastT = new Map<string, number>();

  constructor(private readonly runId: string) {
    const registers = [this.registry];
    const labelNames = [...LABELS];
    this.sent = new client.Counter({ name: "eventbench_events_sent_total", help: "events handed to the system", labelNames, registers });
    this.acked = new client.Counter({ name: "eventbench_events_acked_total", help: "events the system acknowledged", labelNames, registers });
    this.consumed = new client.Counter({ name: "eventbench_events_consumed_total", help: "events received by consumer groups (all groups)", labelNames, registers });
    this.errors = new client.Counter({ name: "eventbench_errors_total", help: "failed append calls", labelNames, registers });
    this.target = new client.Gauge({ name: "eventbench_target_rate", help: "events/s the schedule asks for now (0: closed loop or draining)", labelNames, registers });
    this.latency = new client.Gauge({
      name: "eventbench_latency_seconds",
      help: "latency quantiles of the last one-second interval, from HdrHistogram: kind=publish (intended send → ack), e2e (intended send → received) or projection (cqrs: ack → visible in the read model)",
      labelNames: [...labelNames, "kind", "quantile"],
      registers,
    });
    this.lagEvents = new client.Gauge({ name: "eventbench_consumer_lag_events", help: "events not yet acknowledged by the consumer groups (sum)", labelNames, registers });
    this.lagSeconds = new client.Gauge({ name: "eventbench_consumer_lag_seconds", help: "age of the oldest unacknowledged event (max over groups)", labelNames, registers });
    this.eventLoop = new client.Gauge({
      name: "eventbench_harness_thread_event_loop_delay_seconds",
      help: "worst p99 event-loop delay of the producer and consumer threads in the last interval (above 0.05 s the run is flagged)",
      labelNames,
      registers,
    });
    this.scheduleDelay = new client.Gauge({
      name: "eventbench_harness_schedule_delay_seconds",
      help: "p99 delay between each event's intended and actual send in the last interval: the harness's own lateness",
      labelNames,
      registers,
    });
    client.collectDefaultMetrics({ register: this.registry, prefix: "eventbench_harness_" });
  }

  update(adapter: string, workload: string, scenario: string, p: TimeseriesPoint): void {
    const labels = { run: this.runId, adapter, workload, scenario };
    const key = `${adapter}/${scenario}`;
    const seconds = Math.max(0, p.t - (this.lastT.get(key) ?? 0));
    this.lastT.set(key, p.t);
    this.sent.inc(labels, Math.round(p.sent * seconds));
    this.acked.inc(labels, Math.round(p.acked * seconds));
    this.consumed.inc(labels, Math.round(p.consumed * seconds));
    this.errors.inc(labels, p.errors);
    this.target.set(labels, p.targetRate);
    for (const [kind, values] of [
      ["publish", { p50: p.publishP50, p99: p.publishP99, max: p.publishMax }],
      ["e2e", { p50: p.e2eP50, p99: p.e2eP99, max: p.e2eMax }],
      ["projection", { p50: p.projectionLagP50, p99: p.projectionLagP99, max: p.projectionLagMax }],
    ] as const) {
      for (const [quantile, field] of QUANTILES) {
        const ms = values[field];
        if (ms !== null && ms !== undefined) this.latency.set({ ...labels, kind, quantile }, ms / 1000);
      }
    }
    this.eventLoop.set(labels, p.eventLoopDelayP99 / 1000);
    if (p.scheduleDelayP99 !== null) this.scheduleDelay.set(labels, p.scheduleDelayP99 / 1000);
    if (p.lagEvents !== null) this.lagEvents.set(labels, p.lagEvents);
    if (p.lagMs !== null) this.lagSeconds.set(labels, p.lagMs / 1000);
  }
}
