import type { LagSample } from "../../adapters/contract/adapter.js";
import { addEncoded, encodeHistogram, newHistogram, percentileMs, summarize, type Histogram, type LatencySummary } from "../measurement/latency-histogram.js";
import { DeliveryVerifier } from "../measurement/delivery-verifier.js";
import { LATENCY_METRICS, type PrometheusLatencyKind } from "../measurement/metric-catalog.js";
import { ReceiptOrder } from "../measurement/receipt-order.js";
import type { HistogramLogFile } from "../measurement/histogram-log.js";
import type { TimeseriesPoint } from "../result/result-schema.js";
import type { HostInterval } from "./host-protocol.js";
import { MAX_ERROR_MESSAGES, OTHER_ERROR_MESSAGES, type ErrorTally } from "../measurement/interval-recorder.js";

export type Phase = "warmup" | "steady" | "drain";

/** The latencies of one merged interval, by the `kind` label they are exported under; valid during the call only. */
/** An interval's latencies by their Prometheus `kind` (metric-catalog.ts). */
export type IntervalLatency = { readonly [K in PrometheusLatencyKind]?: Histogram };

/** When one merged interval was read, seconds since t0 on the coordinator's clock: from the previous reading to this one. */
export interface IntervalSpan {
  readonly fromS: number;
  readonly toS: number;
}

/** Hears each merged interval: its timeseries point and its latency histograms (freed once it returns). */
export type IntervalListener = (point: TimeseriesPoint, latency: IntervalLatency) => void;

interface LagStats {
  maxEvents: number | null;
  lastEvents: number | null;
  maxMs: number | null;
  lastMs: number | null;
}

const maxOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Threads that each sample a stream of their own (an in-process adapter) add up: events behind sum, the oldest is the oldest. */
function mergeLag(a: LagSample | undefined, b: LagSample): LagSample {
  if (!a) return b;
  return { events: a.events === null || b.events === null ? null : a.events + b.events, oldestAgeMs: maxOrNull(a.oldestAgeMs, b.oldestAgeMs) };
}

/**
 * Merges the per-second intervals of every host into the run's totals, its timeline and the
 * delivery verifier. Warm-up intervals are kept apart from the steady state.
 */
export class RunAggregator {
  readonly verifier: DeliveryVerifier;
  /** Set when one group's members run on several threads: only then can a key's receipts come from two. */
  private readonly receipts: ReceiptOrder | undefined;
  readonly timeseries: TimeseriesPoint[] = [];
  /**
   * Events received by all groups up to and including each timeseries point: the points carry
   * rates over intervals of different lengths (1 s, 0.5 s, 0.05 s), these are exact counts.
   */
  readonly consumedUpToPoint: number[] = [];
  private readonly steady = new Map<string, Histogram>();
  private readonly warmup = new Map<string, Histogram>();
  private readonly countersByPhase: Record<Phase, Record<string, number>> = { warmup: {}, steady: {}, drain: {} };
  private readonly maxima: Record<string, number> = {};
  private readonly lag = new Map<string, LagStats>();
  private ackedTotal = 0;
  private readonly receivedTotal = new Map<string, number>();
  private readonly histogramLog: HistogramLogFile | undefined;
  private readonly onInterval: IntervalListener | undefined;
  private readonly errorTallies = new Map<string, ErrorTally>();
  eventLoopP99Ms = 0;
  eventLoopMaxMs = 0;
  /** Longest wait, in the steady state, for every thread to hand over its per-second reading. */
  private readingWaitMax = 0;
  steadySeconds = 0;

  constructor(
    private readonly groups: readonly string[],
    private readonly systemReportsLag: boolean,
    o: { readonly histogramLog?: HistogramLogFile; readonly membersSpreadOverThreads?: boolean; readonly onInterval?: IntervalListener } = {},
  ) {
    this.histogramLog = o.histogramLog;
    this.onInterval = o.onInterval;
    if (o.membersSpreadOverThreads) this.receipts = new ReceiptOrder();
    this.verifier = new DeliveryVerifier(groups);
    for (const g of groups) this.lag.set(g, { maxEvents: null, lastEvents: null, maxMs: null, lastMs: null });
  }

  /** `t` is the point's place on the timeline (the second it was due); `span` is when it was really read. */
  add(intervals: readonly HostInterval[], phase: Phase, t: number, span: IntervalSpan, targetRate: number, rssMiB?: number): TimeseriesPoint {
    const seconds = Math.max(1e-3, span.toS - span.fromS);
    const histograms = phase === "warmup" ? this.warmup : this.steady;
    const interval = new Map<string, Histogram>();
    const counters: Record<string, number> = {};
    const lagSamples: Record<string, LagSample> = {};
    let eventLoopP99 = 0;
    if (this.receipts) for (const [group, triples] of this.receipts.release(intervals)) this.verifier.receivePacked(group, triples);
    else for (const host of intervals) for (const [group, r] of Object.entries(host.deliveries)) this.verifier.receivePacked(group, r.triples);
    for (const host of intervals) {
      for (const [metric, encoded] of Object.entries(host.snapshot.histograms)) {
        addEncoded(this.histogram(histograms, metric), encoded);
        addEncoded(this.histogram(interval, metric), encoded);
      }
      for (const [name, value] of Object.entries(host.snapshot.counters)) {
        if (name === "dueNotSent") this.maxima[name] = Math.max(this.maxima[name] ?? 0, value);
        else counters[name] = (counters[name] ?? 0) + value;
      }
      if (host.failed.length) this.verifier.failed(host.failed);
      for (const [message, tally] of Object.entries(host.snapshot.errorMessages ?? {})) this.tallyError(message, tally);
      for (const [group, sample] of Object.entries(host.lag)) lagSamples[group] = mergeLag(lagSamples[group], sample);
      eventLoopP99 = Math.max(eventLoopP99, host.eventLoop.p99Ms);
      // Warm-up is where JIT compilation and connection set-up happen: judged apart, like latency.
      if (phase === "steady") {
        this.eventLoopP99Ms = Math.max(this.eventLoopP99Ms, host.eventLoop.p99Ms);
        this.eventLoopMaxMs = Math.max(this.eventLoopMaxMs, host.eventLoop.maxMs);
      }
    }
    const totals = this.countersByPhase[phase];
    for (const [name, value] of Object.entries(counters)) totals[name] = (totals[name] ?? 0) + value;
    if (phase === "steady") this.steadySeconds += seconds;
    for (const g of this.groups) {
      const foreign = counters[`foreign:${g}`];
      if (foreign) this.verifier.foreign(g, foreign);
    }

    this.ackedTotal += counters.acked ?? 0;
    let consumed = 0;
    const e2e = newHistogram();
    for (const g of this.groups) {
      const received = counters[`received:${g}`] ?? 0;
      consumed += received;
      this.receivedTotal.set(g, (this.receivedTotal.get(g) ?? 0) + received);
      const groupE2e = interval.get(`e2e:${g}`);
      if (groupE2e) e2e.add(groupE2e);
      this.recordLag(g, lagSamples[g], groupE2e, phase);
    }
    for (const [metric, h] of interval) this.histogramLog?.write(metric, h, span.fromS, span.toS);
    this.histogramLog?.writeUntagged(e2e, span.fromS, span.toS);
    const publish = interval.get(LATENCY_METRICS.publish.recorded);
    const schedule = interval.get(LATENCY_METRICS.scheduleDelay.recorded);
    const projection = interval.get(LATENCY_METRICS.projection.recorded);
    const point: TimeseriesPoint = {
      t: Math.round(t * 1000) / 1000,
      phase,
      targetRate,
      sent: (counters.sent ?? 0) / seconds,
      acked: (counters.acked ?? 0) / seconds,
      consumed: consumed / seconds,
      errors: counters.errors ?? 0,
      publishP50: publish ? percentileMs(publish, 50) : null,
      publishP99: publish ? percentileMs(publish, 99) : null,
      publishMax: publish ? percentileMs(publish, 100) : null,
      e2eP50: e2e.totalCount ? percentileMs(e2e, 50) : null,
      e2eP99: e2e.totalCount ? percentileMs(e2e, 99) : null,
      e2eMax: e2e.totalCount ? percentileMs(e2e, 100) : null,
      lagEvents: this.groups.length ? this.sumLag((s) => s.lastEvents) : null,
      lagMs: this.groups.length ? this.maxLag((s) => s.lastMs) : null,
      scheduleDelayP99: schedule ? percentileMs(schedule, 99) : null,
      eventLoopDelayP99: Math.round(eventLoopP99 * 1000) / 1000,
      ...(rssMiB !== undefined ? { rssMiB } : {}),
      // Only entries that project (cqrs) have these; others keep their points as they were.
      ...(projection
        ? { projectionLagP50: percentileMs(projection, 50), projectionLagP99: percentileMs(projection, 99), projectionLagMax: percentileMs(projection, 100) }
        : {}),
    };
    this.onInterval?.(point, { ...(publish ? { publish } : {}), ...(e2e.totalCount ? { e2e } : {}), ...(projection ? { projection } : {}) });
    e2e.destroy();
    for (const h of interval.values()) h.destroy();
    this.timeseries.push(point);
    this.consumedUpToPoint.push((this.consumedUpToPoint.at(-1) ?? 0) + consumed);
    return point;
  }

  private tallyError(message: string, t: ErrorTally): void {
    const key = this.errorTallies.has(message) || this.errorTallies.size < MAX_ERROR_MESSAGES ? message : OTHER_ERROR_MESSAGES;
    const known = this.errorTallies.get(key);
    if (!known) this.errorTallies.set(key, { ...t });
    else {
      known.count += t.count;
      known.firstNs = Math.min(known.firstNs, t.firstNs);
      known.lastNs = Math.max(known.lastNs, t.lastNs);
    }
  }

  /** The entry's distinct error messages, most frequent first, times in seconds since t0. */
  errorMessages(t0Ns: number): { message: string; count: number; firstS: number; lastS: number }[] {
    const s = (ns: number) => Math.round(((ns - t0Ns) / 1e9) * 1000) / 1000;
    return [...this.errorTallies]
      .map(([message, t]) => ({ message, count: t.count, firstS: s(t.firstNs), lastS: s(t.lastNs) }))
      .sort((a, b) => b.count - a.count || a.firstS - b.firstS);
  }

  /** Hands the verifier the receipts held back for order: the entry is over, nothing more is on its way. */
  releaseHeldReceipts(): void {
    for (const [group, triples] of this.receipts?.releaseAll() ?? []) this.verifier.receivePacked(group, triples);
  }

  /** How long the threads took to hand over one interval's readings; the steady state's longest is kept. */
  readingWaited(phase: Phase, ms: number): void {
    if (phase === "steady") this.readingWaitMax = Math.max(this.readingWaitMax, ms);
  }

  get readingWaitMaxMs(): number {
    return this.readingWaitMax;
  }

  /** Counter summed over the given phases. */
  counter(name: string, phases: readonly Phase[] = ["warmup", "steady", "drain"]): number {
    return phases.reduce((sum, p) => sum + (this.countersByPhase[p][name] ?? 0), 0);
  }

  /** Sum of every counter whose name starts with `prefix`. */
  counterPrefix(prefix: string): number {
    let sum = 0;
    for (const phase of Object.values(this.countersByPhase)) for (const [name, v] of Object.entries(phase)) if (name.startsWith(prefix)) sum += v;
    return sum;
  }

  /** Counters whose names start with `prefix`, summed over phases, keyed without the prefix. */
  countersWithPrefix(prefix: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const phase of Object.values(this.countersByPhase)) {
      for (const [name, v] of Object.entries(phase)) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = (out[name.slice(prefix.length)] ?? 0) + v;
    }
    return out;
  }

  maximum(name: string): number {
    return this.maxima[name] ?? 0;
  }

  /** Distinct events each group still has to receive, by the harness's own count. */
  harnessBacklog(group: string): number {
    return Math.max(0, this.ackedTotal - (this.receivedTotal.get(group) ?? 0));
  }

  get lagSource(): "system" | "harness" {
    return this.systemReportsLag ? "system" : "harness";
  }

  lagStats(group: string): LagStats {
    return this.lag.get(group) as LagStats;
  }

  summary(metric: string, phase: "steady" | "warmup" = "steady"): LatencySummary {
    const h = (phase === "steady" ? this.steady : this.warmup).get(metric);
    return h ? summarize(h) : summarize(EMPTY);
  }

  /** The e2e histograms of every group merged (a new histogram the caller destroys). */
  mergedEndToEnd(phase: "steady" | "warmup" = "steady"): Histogram {
    const merged = newHistogram();
    for (const g of this.groups) {
      const h = (phase === "steady" ? this.steady : this.warmup).get(`e2e:${g}`);
      if (h) merged.add(h);
    }
    return merged;
  }

  histogram(map: Map<string, Histogram>, metric: string): Histogram {
    let h = map.get(metric);
    if (!h) {
      h = newHistogram();
      map.set(metric, h);
    }
    return h;
  }

  /** Names of the steady-state histograms starting with `prefix`. */
  steadyMetricNames(prefix: string): string[] {
    return [...this.steady.keys()].filter((name) => name.startsWith(prefix));
  }

  steadyHistogram(metric: string): Histogram | undefined {
    return this.steady.get(metric);
  }

  encodedSteady(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [metric, h] of this.steady) out[metric] = encodeHistogram(h);
    return out;
  }

  /** Frees the histograms; throws the interval log's ResultWriteError, if closing it failed, after. */
  destroy(): void {
    try {
      this.histogramLog?.close();
    } finally {
      for (const h of [...this.steady.values(), ...this.warmup.values()]) h.destroy();
      this.steady.clear();
      this.warmup.clear();
    }
  }

  private recordLag(group: string, sample: LagSample | undefined, e2e: Histogram | undefined, phase: Phase): void {
    const stats = this.lag.get(group) as LagStats;
    let events: number | null;
    let ms: number | null;
    if (this.systemReportsLag) {
      events = sample?.events ?? null;
      ms = sample?.oldestAgeMs ?? null;
    } else {
      // The system cannot tell: count it ourselves, and take the age of the newest events the
      // group received (their end-to-end latency) as how far behind it runs.
      events = this.harnessBacklog(group);
      ms = e2e ? percentileMs(e2e, 100) : events === 0 ? 0 : null;
    }
    stats.lastEvents = events;
    stats.lastMs = ms === null ? null : Math.round(ms * 1000) / 1000;
    // Like latency, the maxima describe the steady state (and the drain after it), not the warm-up.
    if (phase === "warmup") return;
    stats.maxEvents = maxOrNull(stats.maxEvents, events);
    stats.maxMs = maxOrNull(stats.maxMs, stats.lastMs);
  }

  private sumLag(pick: (s: LagStats) => number | null): number | null {
    let sum = 0;
    for (const s of this.lag.values()) {
      const v = pick(s);
      if (v === null) return null;
      sum += v;
    }
    return sum;
  }

  private maxLag(pick: (s: LagStats) => number | null): number | null {
    let max: number | null = null;
    for (const s of this.lag.values()) max = maxOrNull(max, pick(s));
    return max;
  }
}

const EMPTY = newHistogram();
