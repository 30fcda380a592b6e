import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { HistogramLogReader } from "hdr-histogram-js";
import { ConfigError } from "../errors/errors.js";
import { addEncoded, encodeHistogram, newHistogram, summarize, type Histogram } from "../measurement/latency-histogram.js";
import { LATENCY_METRICS } from "../measurement/metric-catalog.js";
import { parseThreshold, type ThresholdExpression } from "../scenario/threshold.js";
import type { RunEntryResult, RunResult, TimeseriesPoint } from "./result-schema.js";
import { evaluateThresholds } from "./threshold-evaluation.js";
import { entryStatus, judgeTargetHeld, runStatus } from "./entry-status.js";

/**
 * `eventbench merge`: several workers' results of one scenario, run at the same time against one
 * cluster, combined into one run. Exact where HdrHistogram allows it: steady-state histograms are
 * added (not percentiles averaged), per-second percentiles come from the workers' interval logs
 * added second by second (timelines aligned on each entry's wall-clock t0), counters are summed.
 * Each worker reads only its own stream, so every end-to-end latency was measured within one host
 * on one monotonic clock: no figure depends on clocks agreeing across hosts.
 */

export interface WorkerRun {
  readonly dir: string;
  readonly result: RunResult;
}

type Point = TimeseriesPoint;
const entryKey = (e: RunEntryResult) => `${e.adapter}\u0000${e.scenario}`;

/** Per second (aligned), the sum of every worker's interval histograms of one metric family. */
type SecondHistograms = Map<number, Map<"publish" | "e2e", Histogram>>;

async function intervalHistograms(w: WorkerRun, e: RunEntryResult, offsetS: number, into: SecondHistograms): Promise<boolean> {
  const logName = (await readdir(w.dir)).find((f) => f === `${e.adapter}-${e.scenario}.hlog`);
  if (!logName) return false;
  const reader = new HistogramLogReader(await readFile(join(w.dir, logName), "utf8"), 64, true);
  const pointTimes = e.timeseries.map((p) => p.t);
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
    const family = h.tag === "publish" ? "publish" : h.tag?.startsWith("e2e:") ? "e2e" : null;
    if (family) {
      // The log holds where each interval was really cut, seconds since t0 (its StartTime); the
      // timeline point of that reading is the last one due at or before the cut.
      const cutS = (h.endTimeStampMsec - reader.startTimeSec * 1000) / 1000;
      const endS = Math.round(readingDueAt(pointTimes, cutS) + offsetS);
      const slot = into.get(endS) ?? new Map();
      const sum = slot.get(family) ?? newHistogram();
      sum.add(h);
      slot.set(family, sum);
      into.set(endS, slot);
    }
    h.destroy();
  }
  return true;
}

/**
 * The timeline's t of the reading cut at `cutS`: a reading is cut after it was due (a second's on
 * time or late; a drain's just after it was asked) and before the next one is due. The log's
 * times have 1 ms steps, hence the 1 ms allowance.
 */
function readingDueAt(pointTimes: readonly number[], cutS: number): number {
  let lo = 0;
  let hi = pointTimes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((pointTimes[mid] ?? Infinity) <= cutS + 0.001) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 ? (pointTimes[found] as number) : cutS;
}

const maxOf = (xs: readonly (number | null)[]) => (xs.some((x) => x !== null) ? Math.max(...xs.filter((x): x is number => x !== null)) : null);
const sumOf = (xs: readonly (number | null)[]) => (xs.some((x) => x !== null) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null);
const ms = (us: number) => Math.round(us) / 1000;

function mergedTimeseries(parts: readonly { entry: RunEntryResult; offsetS: number }[], seconds: SecondHistograms | null): Point[] {
  const buckets = new Map<number, Point[]>();
  for (const { entry, offsetS } of parts) {
    for (const p of entry.timeseries) {
      const t = Math.round(p.t + offsetS);
      buckets.set(t, [...(buckets.get(t) ?? []), p]);
    }
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, points]) => {
      const slot = seconds?.get(t);
      const pct = (family: "publish" | "e2e", q: number | "max") => {
        const h = slot?.get(family);
        if (!h || h.totalCount === 0) return null;
        return ms(q === "max" ? h.maxValue : h.getValueAtPercentile(q));
      };
      const phase = points.some((p) => p.phase === "steady") ? "steady" : points.some((p) => p.phase === "warmup") ? "warmup" : "drain";
      return {
        t,
        phase,
        targetRate: points.reduce((a, p) => a + p.targetRate, 0),
        sent: points.reduce((a, p) => a + p.sent, 0),
        acked: points.reduce((a, p) => a + p.acked, 0),
        consumed: points.reduce((a, p) => a + p.consumed, 0),
        errors: points.reduce((a, p) => a + p.errors, 0),
        publishP50: pct("publish", 50),
        publishP99: pct("publish", 99),
        publishMax: pct("publish", "max"),
        e2eP50: pct("e2e", 50),
        e2eP99: pct("e2e", 99),
        e2eMax: pct("e2e", "max"),
        lagEvents: sumOf(points.map((p) => p.lagEvents)),
        lagMs: maxOf(points.map((p) => p.lagMs)),
        scheduleDelayP99: maxOf(points.map((p) => p.scheduleDelayP99)),
        eventLoopDelayP99: Math.max(...points.map((p) => p.eventLoopDelayP99)),
      } satisfies Point;
    });
}

function addCounts<T extends Record<string, number>>(items: readonly T[]): T {
  const out = { ...(items[0] as T) };
  for (const item of items.slice(1)) for (const k of Object.keys(item) as (keyof T)[]) (out[k] as number) += item[k] as number;
  return out;
}

/** The workers' error messages by message: counts added, first and last on the merged timeline. */
function mergedErrorMessages(parts: readonly { entry: RunEntryResult; offsetS: number }[]): NonNullable<RunEntryResult["delivery"]["errorMessages"]> {
  const byMessage = new Map<string, { message: string; count: number; firstS: number; lastS: number }>();
  for (const { entry, offsetS } of parts) {
    for (const m of entry.delivery.errorMessages ?? []) {
      const known = byMessage.get(m.message);
      const at = { firstS: m.firstS + offsetS, lastS: m.lastS + offsetS };
      if (!known) byMessage.set(m.message, { message: m.message, count: m.count, ...at });
      else byMessage.set(m.message, { message: m.message, count: known.count + m.count, firstS: Math.min(known.firstS, at.firstS), lastS: Math.max(known.lastS, at.lastS) });
    }
  }
  return [...byMessage.values()].sort((a, b) => b.count - a.count || a.firstS - b.firstS);
}

/**
 * The first time a worker's system stopped answering, on the merged timeline: the merged entry
 * ended as an error there (the `error` says which worker). Spreading the first worker's entry alone
 * would drop another worker's and leave the first's on its own clock.
 */
function mergedNoAnswer(parts: readonly { entry: RunEntryResult; offsetS: number }[]): RunEntryResult["noAnswer"] {
  const aligned = parts.flatMap(({ entry: { noAnswer }, offsetS }) =>
    noAnswer ? [{ lastAnswerS: noAnswer.lastAnswerS === null ? null : noAnswer.lastAnswerS + offsetS, detectedS: noAnswer.detectedS + offsetS, waiting: noAnswer.waiting }] : [],
  );
  return aligned.sort((a, b) => a.detectedS - b.detectedS)[0];
}

async function mergeEntry(parts: readonly { worker: WorkerRun; entry: RunEntryResult }[], t0Ms: number, notes: string[]): Promise<RunEntryResult> {
  const first = parts[0]?.entry as RunEntryResult;
  const label = `${first.adapter} / ${first.scenario}`;
  const offsets = parts.map(({ worker, entry }) => ({ worker, entry, offsetS: (Date.parse(entry.t0 ?? worker.result.startedAt) - t0Ms) / 1000 }));

  const histograms = new Map<string, Histogram>();
  for (const { entry } of parts) {
    for (const [key, encoded] of Object.entries(entry.histograms)) {
      const sum = histograms.get(key) ?? newHistogram();
      addEncoded(sum, encoded);
      histograms.set(key, sum);
    }
  }
  const e2e = newHistogram();
  for (const [key, h] of histograms) if (key.startsWith("e2e:")) e2e.add(h);
  const summaryOf = (key: string) => {
    const h = histograms.get(key);
    return h ? summarize(h) : summarize(newHistogram());
  };

  const seconds: SecondHistograms = new Map();
  let allLogs = true;
  for (const { worker, entry, offsetS } of offsets) allLogs = (await intervalHistograms(worker, entry, offsetS, seconds)) && allLogs;
  if (!allLogs) notes.push(`${label}: a worker's interval log (.hlog) is missing, so per-second percentiles are left out of the merged timeline`);

  const groups = Object.keys(first.delivery.byGroup);
  const delivery = {
    ...addCounts(parts.map(({ entry: e }) => ({ sent: e.delivery.sent, acked: e.delivery.acked, consumed: e.delivery.consumed, lost: e.delivery.lost, duplicated: e.delivery.duplicated, outOfOrder: e.delivery.outOfOrder, errors: e.delivery.errors, conflicts: e.delivery.conflicts, redelivered: e.delivery.redelivered, clockAnomalies: e.delivery.clockAnomalies }))),
    byGroup: Object.fromEntries(groups.map((g) => [g, addCounts(parts.map(({ entry: e }) => e.delivery.byGroup[g] ?? { sent: 0, acked: 0, consumed: 0, lost: 0, duplicated: 0, outOfOrder: 0, foreign: 0 }))])),
    errorMessages: mergedErrorMessages(offsets),
  };
  const timeseries = mergedTimeseries(offsets, allLogs ? seconds : null);
  for (const slot of seconds.values()) for (const h of slot.values()) h.destroy();
  const steadyLag = timeseries.filter((p) => p.phase === "steady");
  const byGroup = Object.fromEntries(
    groups.map((g) => {
      const lags = parts.map(({ entry: e }) => e.consumerLag.byGroup[g]);
      return [g, { maxEvents: sumOf(lags.map((l) => l?.maxEvents ?? null)), lastEvents: sumOf(lags.map((l) => l?.lastEvents ?? null)), maxMs: maxOf(lags.map((l) => l?.maxMs ?? null)), lastMs: maxOf(lags.map((l) => l?.lastMs ?? null)) }];
    }),
  );
  if (groups.length && parts.length > 1) notes.push(`${label}: a group's lag maximum is the sum of the workers' maxima (an upper bound: they need not coincide); the timeline's lag is summed second by second`);
  notes.push(`${label}: warm-up latency summaries are the workers' largest (an upper bound); the steady state is exact`);

  const pick = (f: (e: RunEntryResult) => number) => parts.map(({ entry }) => f(entry));
  const { noAnswer: _firstWorkersOnly, ...firstWithoutNoAnswer } = first;
  const noAnswer = mergedNoAnswer(offsets);
  const merged: Omit<RunEntryResult, "thresholds" | "status"> = {
    ...firstWithoutNoAnswer,
    ...(noAnswer ? { noAnswer } : {}),
    settings: { ...first.settings, targetRate: pick((e) => e.settings.targetRate).reduce((a, b) => a + b, 0), producers: pick((e) => e.settings.producers).reduce((a, b) => a + b, 0) },
    latency: {
      publish: summaryOf("publish"),
      service: summaryOf("service"),
      endToEnd: summarize(e2e),
      endToEndByGroup: Object.fromEntries(groups.map((g) => [g, summaryOf(`e2e:${g}`)])),
      warmup: {
        publish: worstSummary(parts.map(({ entry }) => entry.latency.warmup.publish)),
        endToEnd: worstSummary(parts.map(({ entry }) => entry.latency.warmup.endToEnd)),
      },
    },
    throughput: {
      target: sum(pick((e) => e.throughput.target)),
      sent: sum(pick((e) => e.throughput.sent)),
      acked: sum(pick((e) => e.throughput.acked)),
      consumed: sum(pick((e) => e.throughput.consumed)),
      measuredS: Math.max(...pick((e) => e.throughput.measuredS)),
    },
    consumerLag: {
      source: first.consumerLag.source,
      byGroup,
      maxEvents: maxOf([maxOf(steadyLag.map((p) => p.lagEvents)), ...Object.values(byGroup).map((l) => l.maxEvents)]),
      maxMs: maxOf(Object.values(byGroup).map((l) => l.maxMs)),
    },
    delivery,
    adapterStats: addCounts(parts.map(({ entry }) => entry.adapterStats)),
    timeseries,
    t0: new Date(t0Ms).toISOString(),
    harness: {
      eventLoopDelayMs: { p99: Math.max(...pick((e) => e.harness.eventLoopDelayMs.p99)), max: Math.max(...pick((e) => e.harness.eventLoopDelayMs.max)) },
      scheduleDelay: summaryOf("schedule"),
      inFlightLimited: sum(pick((e) => e.harness.inFlightLimited)),
      dueNotSentMax: Math.max(...pick((e) => e.harness.dueNotSentMax)),
      warnings: parts.flatMap(({ worker, entry }) => entry.harness.warnings.map((w) => `worker ${worker.result.runId}: ${w}`)),
      flagged: parts.some(({ entry }) => entry.harness.flagged),
    },
    figures: parts.flatMap(({ worker, entry }) => entry.figures.map((f) => ({ ...f, name: `worker ${worker.result.runId}: ${f.name}` }))),
    curves: parts.flatMap(({ worker, entry }) => entry.curves.map((c) => ({ ...c, series: c.series.map((s) => ({ ...s, name: `worker ${worker.result.runId} ${s.name}` })) }))),
    histograms: Object.fromEntries([...histograms].map(([k, h]) => [k, encodeHistogram(h)])),
  };
  const thresholds = evaluateThresholds(
    first.thresholds.map((t) => ({ metric: t.metric, expression: parseThreshold(t.expression) as ThresholdExpression })),
    { entry: merged, histogram: (latency) => (latency === "endToEnd" ? e2e : histograms.get(LATENCY_METRICS[latency].recorded)) },
  );
  for (const h of histograms.values()) h.destroy();
  e2e.destroy();
  const statuses = parts.map(({ entry }) => entry.status);
  // Judged again on the summed rates, under the policy the workers' entries were judged by.
  const policy = first.targetHeld;
  const targetHeld = policy ? judgeTargetHeld(merged, { share: policy.required, gate: policy.gate }, false) : null;
  const status = entryStatus({ error: statuses.includes("error"), incomplete: statuses.includes("incomplete"), failed: thresholds.some((t) => !t.passed) || delivery.lost > 0, targetHeld });
  const errors = parts.flatMap(({ worker, entry }) => (entry.error ? [`worker ${worker.result.runId}: ${entry.error}`] : []));
  return { ...merged, status, ...(errors.length ? { error: errors.join("; ") } : {}), ...(targetHeld ? { targetHeld } : {}), thresholds };
}

const sum = (xs: readonly number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;

function worstSummary(items: readonly RunEntryResult["latency"]["publish"][]): RunEntryResult["latency"]["publish"] {
  const nonEmpty = items.filter((s) => s.count > 0);
  if (nonEmpty.length === 0) return items[0] as RunEntryResult["latency"]["publish"];
  const worst = (k: "p50" | "p90" | "p99" | "p999" | "max" | "mean") => Math.max(...nonEmpty.map((s) => s[k]));
  return { count: nonEmpty.reduce((a, s) => a + s.count, 0), min: Math.min(...nonEmpty.map((s) => s.min)), mean: worst("mean"), p50: worst("p50"), p90: worst("p90"), p99: worst("p99"), p999: worst("p999"), max: worst("max") };
}

export async function mergeRuns(workers: readonly WorkerRun[], runId: string): Promise<RunResult> {
  if (workers.length < 2) throw new ConfigError("merge", `expected at least two worker results, got ${workers.length}`);
  const first = (workers[0] as WorkerRun).result;
  for (const w of workers) {
    if (w.result.scenario.name !== first.scenario.name) {
      throw new ConfigError(w.dir, `scenario "${w.result.scenario.name}" differs from "${first.scenario.name}" of ${(workers[0] as WorkerRun).dir}; merge combines workers of one scenario`);
    }
  }
  const runIds = workers.map((w) => w.result.runId);
  if (new Set(runIds).size !== runIds.length) throw new ConfigError("merge", `two inputs have the same runId (${runIds.join(", ")}); each worker needs its own --run-id`);

  const byKey = new Map<string, { worker: WorkerRun; entry: RunEntryResult }[]>();
  for (const worker of workers) for (const entry of worker.result.runs) byKey.set(entryKey(entry), [...(byKey.get(entryKey(entry)) ?? []), { worker, entry }]);
  const notes: string[] = [];
  const runs: RunEntryResult[] = [];
  for (const parts of byKey.values()) {
    if (parts.length < workers.length) notes.push(`${parts[0]?.entry.adapter} / ${parts[0]?.entry.scenario}: only ${parts.length} of ${workers.length} workers ran it`);
    const t0Ms = Math.min(...parts.map(({ worker, entry }) => Date.parse(entry.t0 ?? worker.result.startedAt)));
    runs.push(await mergeEntry(parts, t0Ms, notes));
  }
  const hosts = [...new Set(workers.map((w) => w.result.environment.host.hostname))];
  const status = runStatus(runs, workers.some((w) => w.result.interrupted));
  return {
    ...first,
    runId,
    status,
    startedAt: workers.map((w) => w.result.startedAt).sort()[0] as string,
    finishedAt: workers.map((w) => w.result.finishedAt).sort().at(-1) as string,
    interrupted: workers.some((w) => w.result.interrupted),
    environment: {
      ...first.environment,
      clock: `${workers.length} workers on ${hosts.length} host(s), each on its own monotonic clock; end-to-end latency is measured within a worker (its producers and consumers share a host), never across hosts`,
      host: { ...first.environment.host, hostname: hosts.join(", "), cpus: workers.reduce((a, w) => a + w.result.environment.host.cpus, 0) },
    },
    runs,
    workers: workers.map((w) => ({ runId: w.result.runId, hostname: w.result.environment.host.hostname, startedAt: w.result.startedAt, clock: w.result.environment.clock })),
    notes,
    skipped: workers.flatMap((w) => w.result.skipped.map((s) => ({ ...s, reason: `worker ${w.result.runId}: ${s.reason}` }))),
  };
}
