import { encodeHistogram, newHistogram, type Histogram } from "./latency-histogram.js";
import { monotonicNowNs, NS_PER_US } from "./monotonic-clock.js";

/**
 * Histograms a thread records; end-to-end ones are per consumer group (`e2e:<group>`), rehydration
 * ones per aggregate-length bucket (`rehydrate:<lowest length>`).
 */
export type LatencyMetric =
  | "publish"
  | "service"
  | "schedule"
  | `e2e:${string}`
  | "rehydrate"
  | `rehydrate:${number}`
  | "projection"
  | "query"
  | "staleness";

/** Counters a thread keeps; per-group ones end in `:<group>`. */
export interface CounterSet {
  [name: string]: number;
}

export interface IntervalSnapshot {
  /** Encoded HdrHistograms (µs) of this interval, only those with values. */
  readonly histograms: Record<string, string>;
  readonly counters: CounterSet;
  /** Watched counters that grew in this interval: monotonic ns of their first growth (see `watchFirst`). */
  readonly firsts?: Record<string, number>;
  /** The interval's errors by message (each also counted in `errors`). */
  readonly errorMessages?: Record<string, ErrorTally>;
}

/** How often one error message came, and when first and last (monotonic ns). */
export interface ErrorTally {
  count: number;
  firstNs: number;
  lastNs: number;
}

/** Distinct messages one interval keeps; a system failing in ever new words cannot grow memory. */
export const MAX_ERROR_MESSAGES = 20;
export const OTHER_ERROR_MESSAGES = "(further distinct messages)";
const MAX_MESSAGE_LENGTH = 300;

/**
 * Per-thread, per-interval recording: nothing is kept per event. Each `take()` hands the interval's
 * histograms over encoded (so they cross threads and land in result files) and starts a new one.
 */
export class IntervalRecorder {
  private readonly histograms = new Map<string, Histogram>();
  private counters: CounterSet = {};
  /** Counter → monotonic ns after which its next growth is noted (recovery after a fault). */
  private readonly watches = new Map<string, number>();
  private firsts: Record<string, number> | undefined;
  private errorMessages: Map<string, ErrorTally> | undefined;

  /** Records a latency in ns; values ≤ 0 are clock anomalies, counted and never dropped silently. */
  recordNs(metric: LatencyMetric, ns: number): void {
    if (!(ns > 0)) {
      this.count(`clockAnomalies:${metric}`);
      return;
    }
    this.histogram(metric).recordValue(Math.ceil(ns / NS_PER_US));
  }

  private histogram(metric: LatencyMetric): Histogram {
    let h = this.histograms.get(metric);
    if (!h) {
      h = newHistogram();
      this.histograms.set(metric, h);
    }
    return h;
  }

  /** Records a delay in ns that may legitimately be 0 (a send exactly on time). */
  recordDelayNs(metric: LatencyMetric, ns: number): void {
    this.histogram(metric).recordValue(Math.max(0, Math.ceil(ns / NS_PER_US)));
  }

  count(name: string, by = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + by;
    if (this.watches.size > 0) this.noteFirst(name);
  }

  /** Counts an error (`errors`) and keeps its message, so a result says why, not only how often. */
  error(message: string): void {
    this.count("errors");
    const messages = (this.errorMessages ??= new Map());
    let text = message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
    if (!messages.has(text) && messages.size >= MAX_ERROR_MESSAGES) text = OTHER_ERROR_MESSAGES;
    const now = monotonicNowNs();
    const tally = messages.get(text);
    if (tally) {
      tally.count++;
      tally.lastNs = now;
    } else messages.set(text, { count: 1, firstNs: now, lastNs: now });
  }

  /** Notes the moment `counter` next grows at or after `afterNs`: the first acknowledgement after a fault, say. */
  watchFirst(counter: string, afterNs: number): void {
    this.watches.set(counter, afterNs);
  }

  private noteFirst(name: string): void {
    const after = this.watches.get(name);
    if (after === undefined) return;
    const now = monotonicNowNs();
    if (now < after) return;
    (this.firsts ??= {})[name] = now;
    this.watches.delete(name);
  }

  /** Keeps the largest value seen in the interval (gauges such as backlog). */
  max(name: string, value: number): void {
    const current = this.counters[name];
    if (current === undefined || value > current) this.counters[name] = value;
  }

  take(): IntervalSnapshot {
    const histograms: Record<string, string> = {};
    for (const [metric, h] of this.histograms) {
      if (h.totalCount > 0) histograms[metric] = encodeHistogram(h);
      h.reset();
    }
    const counters = this.counters;
    this.counters = {};
    const firsts = this.firsts;
    this.firsts = undefined;
    const errorMessages = this.errorMessages ? Object.fromEntries(this.errorMessages) : undefined;
    this.errorMessages = undefined;
    return { histograms, counters, ...(firsts ? { firsts } : {}), ...(errorMessages ? { errorMessages } : {}) };
  }

  destroy(): void {
    for (const h of this.histograms.values()) h.destroy();
    this.histograms.clear();
  }
}
