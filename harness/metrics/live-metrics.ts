import client from "prom-client";
import { countsAtOrBelow, type Histogram } from "../measurement/latency-histogram.js";
import { LATENCY_METRICS } from "../measurement/metric-catalog.js";
import type { TimeseriesPoint } from "../result/result-schema.js";
import type { IntervalLatency } from "../runtime/run-aggregator.js";

const LABELS = ["run", "adapter", "workload", "scenario"] as const;
type Labels = Record<(typeof LABELS)[number], string>;

/**
 * Upper bounds (seconds) of eventbench_latency_seconds's buckets: 1-2-5 steps from 50 µs (Redis on
 * loopback) to 60 s (a stalled server), so histogram_quantile interpolates within a factor of 2.5.
 */
export const LATENCY_BUCKETS_S = [
  0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 60,
] as const;
const BUCKETS_US = LATENCY_BUCKETS_S.map((s) => Math.round(s * 1e6));

/** prom-client's default collector exports these gauges named like counters; Prometheus's linter refuses them. */
const DEFAULT_GAUGES_NAMED_TOTAL = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

interface LatencySeries {
  readonly labels: Labels & { kind: string };
  /** cumulative, one per bucket (the last is +Inf) */
  readonly buckets: number[];
  count: number;
  sumSeconds: number;
}

/**
 * eventbench_latency_seconds as a Prometheus histogram whose buckets are filled from the HDR
 * intervals the harness already merges (nothing is observed per event: prom-client costs ~10× an
 * HDR record). Counts only grow, so rate() and histogram_quantile() add up across runs and workers.
 */
class LatencyHistogramMetric {
  readonly name = "eventbench_latency_seconds";
  readonly help = `latency from HdrHistogram intervals: ${Object.values(LATENCY_METRICS)
    .flatMap((m) => (m.prometheus === null ? [] : [`kind=${m.prometheus} (${m.measures})`]))
    .join(", ")}`;
  private readonly series = new Map<string, LatencySeries>();

  add(labels: Labels, kind: string, h: Histogram): void {
    if (h.totalCount === 0) return;
    const key = JSON.stringify([labels.run, labels.adapter, labels.workload, labels.scenario, kind]);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels: { ...labels, kind }, buckets: Array(BUCKETS_US.length + 1).fill(0), count: 0, sumSeconds: 0 }));
    const counts = countsAtOrBelow(h, BUCKETS_US);
    counts.forEach((c, i) => (s.buckets[i] = (s.buckets[i] as number) + c));
    s.buckets[BUCKETS_US.length] = (s.buckets[BUCKETS_US.length] as number) + h.totalCount;
    s.count += h.totalCount;
    s.sumSeconds += (h.mean * h.totalCount) / 1e6;
  }

  /** What prom-client's Registry formats: the shape its own Histogram's get() hands it. */
  get(): { name: string; help: string; type: "histogram"; aggregator: "sum"; values: { metricName: string; labels: Record<string, string | number>; value: number }[] } {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const s of this.series.values()) {
      s.buckets.forEach((value, i) =>
        values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le: LATENCY_BUCKETS_S[i] ?? "+Inf" }, value }),
      );
      values.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sumSeconds });
      values.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return { name: this.name, help: this.help, type: "histogram", aggregator: "sum", values };
  }
}

/** The run as Prometheus sees it, updated once per merged interval. */
export class LiveMetrics {
  readonly registry = new client.Registry();
  private readonly sent: client.Counter<(typeof LABELS)[number]>;
  private readonly acked: client.Counter<(typeof LABELS)[number]>;
  private readonly consumed: client.Counter<(typeof LABELS)[number]>;
  private readonly errors: client.Counter<(typeof LABELS)[number]>;
  private readonly target: client.Gauge<(typeof LABELS)[number]>;
  private readonly latency = new LatencyHistogramMetric();
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
    this.target = new client.Gauge({ name: "eventbench_target_events_per_second", help: "events/s the schedule asks for now (0: closed loop or draining)", labelNames, registers });
    this.registry.registerMetric(this.latency as unknown as client.Metric);
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
    for (const name of DEFAULT_GAUGES_NAMED_TOTAL) this.registry.removeSingleMetric(`eventbench_harness_${name}`);
  }

  update(adapter: string, workload: string, scenario: string, p: TimeseriesPoint, latency: IntervalLatency = {}): void {
    const labels = { run: this.runId, adapter, workload, scenario };
    const key = `${adapter}/${scenario}`;
    const seconds = Math.max(0, p.t - (this.lastT.get(key) ?? 0));
    this.lastT.set(key, p.t);
    this.sent.inc(labels, Math.round(p.sent * seconds));
    this.acked.inc(labels, Math.round(p.acked * seconds));
    this.consumed.inc(labels, Math.round(p.consumed * seconds));
    this.errors.inc(labels, p.errors);
    this.target.set(labels, p.targetRate);
    for (const [kind, h] of Object.entries(latency)) if (h) this.latency.add(labels, kind, h);
    this.eventLoop.set(labels, p.eventLoopDelayP99 / 1000);
    if (p.scheduleDelayP99 !== null) this.scheduleDelay.set(labels, p.scheduleDelayP99 / 1000);
    if (p.lagEvents !== null) this.lagEvents.set(labels, p.lagEvents);
    if (p.lagMs !== null) this.lagSeconds.set(labels, p.lagMs / 1000);
  }
}
