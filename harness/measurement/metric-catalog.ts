/**
 * One entry per latency the harness measures, and the name each output knows it by: the
 * histogram a thread records, the threshold a scenario names, the key under result.json's
 * `latency`, the prefix of the timeseries fields (`<prefix>P50`, `<prefix>P99`, `<prefix>Max`) and
 * the `kind` label of Prometheus's eventbench_latency_seconds. The spellings differ for history
 * (result.json's fields are a published contract and keep theirs); this is the one place that
 * says which is which, and the recorder, thresholds, aggregator and Prometheus read it.
 */
export interface LatencyMetricNames {
  /** The histogram the recorder fills (and the HdrHistogram log's tag). */
  readonly recorded: string;
  /** A scenario threshold's metric name; null: no threshold reads it. */
  readonly threshold: string | null;
  /** Its key under result.json's `latency`; null: not there. */
  readonly result: string | null;
  /** Prefix of its per-interval timeseries fields; null: not in the timeseries. */
  readonly timeseries: string | null;
  /** The `kind` label of eventbench_latency_seconds; null: not exported. */
  readonly prometheus: string | null;
  /** From when to when, for help texts and docs. */
  readonly measures: string;
}

export const LATENCY_METRICS = {
  publish: {
    recorded: "publish",
    threshold: "publish_latency",
    result: "publish",
    timeseries: "publish",
    prometheus: "publish",
    measures: "intended send → acknowledged",
  },
  endToEnd: {
    // Recorded per consumer group (`e2e:<group>`) and merged over the groups.
    recorded: "e2e",
    threshold: "e2e_latency",
    result: "endToEnd",
    timeseries: "e2e",
    prometheus: "e2e",
    measures: "intended send → received, all consumer groups",
  },
  service: {
    recorded: "service",
    threshold: "service_time",
    result: "service",
    timeseries: null,
    prometheus: null,
    measures: "actual send → acknowledged",
  },
  scheduleDelay: {
    recorded: "schedule",
    threshold: null,
    result: null,
    timeseries: "scheduleDelay",
    prometheus: null,
    measures: "intended send → actual send: the harness's own lateness",
  },
  projection: {
    recorded: "projection",
    threshold: null,
    result: null,
    timeseries: "projectionLag",
    prometheus: "projection",
    measures: "cqrs: acknowledged → visible in the read model",
  },
} as const satisfies Record<string, LatencyMetricNames>;

export type LatencyMetricId = keyof typeof LATENCY_METRICS;

/** The `kind` labels of eventbench_latency_seconds (`publish`, `e2e`, `projection`). */
export type PrometheusLatencyKind = Exclude<(typeof LATENCY_METRICS)[LatencyMetricId]["prometheus"], null>;

type ThresholdOf<K extends LatencyMetricId> = (typeof LATENCY_METRICS)[K]["threshold"];
/** The latency metrics a threshold can name (`publish_latency`, …). */
export type LatencyThreshold = Exclude<ThresholdOf<LatencyMetricId>, null>;

const BY_THRESHOLD = new Map<string, LatencyMetricId>(
  (Object.keys(LATENCY_METRICS) as LatencyMetricId[]).flatMap((id) => {
    const threshold = LATENCY_METRICS[id].threshold as string | null;
    return threshold === null ? [] : [[threshold, id] as const];
  }),
);

export const LATENCY_THRESHOLDS = [...BY_THRESHOLD.keys()] as LatencyThreshold[];

/** The latency a threshold's metric names, or undefined when it names no latency. */
export function latencyOfThreshold(metric: string): LatencyMetricId | undefined {
  return BY_THRESHOLD.get(metric);
}
