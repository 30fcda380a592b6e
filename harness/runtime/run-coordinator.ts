import { capabilitiesOf, type AdapterFactory, type Endpoint } from "../../adapters/contract/adapter.js";
import { PiecewiseLinearSchedule } from "../load/arrival-schedule.js";
import { HistogramLogFile } from "../measurement/histogram-log.js";
import { ProcessRss } from "../measurement/process-rss.js";
import type { HarnessCeiling } from "../measurement/harness-ceiling.js";
import { summarize } from "../measurement/latency-histogram.js";
import { LATENCY_METRICS } from "../measurement/metric-catalog.js";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import { evaluateThresholds } from "../result/threshold-evaluation.js";
import { entryStatus, judgeTargetHeld } from "../result/entry-status.js";
import { withClaims } from "../result/claim-figures.js";
import type { RunEntryResult, TimeseriesPoint } from "../result/result-schema.js";
import type { WorkloadPlan } from "../scenario/run-plan.js";
import { HostClient } from "./host-client.js";
import { workloads } from "../../scenarios/workloads/workload-registry.js";
import type { MeasuredEntry } from "../../scenarios/workloads/workload.js";
import { LatestCommandBoard } from "../../scenarios/workloads/cqrs/latest-command-board.js";
import { newProjectionLagBuffers } from "../../scenarios/workloads/cqrs/projection-lag-board.js";
import type { ReadModelSpec } from "../../scenarios/workloads/cqrs/read-model/read-model.js";
import type { EndCheck, HostInfo, HostInterval, ProducersStopped } from "./host-protocol.js";
import { groupNames, placeRoles } from "./role-placement.js";
import { RunAggregator, type IntervalListener, type Phase } from "./run-aggregator.js";
import { harnessWarnings } from "./harness-warnings.js";
import type { ServiceHandle } from "../../adapters/contract/service.js";
import { FaultInjector } from "../faults/fault-injector.js";
import { faultFigures, faultResults } from "../faults/fault-results.js";
import { SlowNetworkProxy } from "../faults/toxiproxy.js";
import { seqMarks } from "../measurement/delivery-verifier.js";
import type { FaultResult } from "../result/result-schema.js";
import { ResultWriteError } from "../result/atomic-file.js";
import { AnswerWatch, describeNoAnswer, type NoAnswer } from "./answer-watch.js";

export interface EntryContext {
  readonly runId: string;
  readonly runTag: number;
  readonly factory: AdapterFactory;
  readonly endpoint: Endpoint;
  readonly adapterSettings: Readonly<Record<string, unknown>>;
  readonly plan: WorkloadPlan;
  /** Where the entry's HdrHistogram interval log goes. */
  readonly histogramLogPath: string;
  /** Aborted on Ctrl-C: producing stops at once and the entry is written as incomplete. */
  readonly signal: AbortSignal;
  readonly onInterval?: IntervalListener;
  /** cqrs with `readModel: redis-hash`: the Redis the read model goes to. */
  readonly readModelRedisUrl?: string;
  /** The adapter's server (absent for an in-process adapter): faults act on it, its persistence is recorded. */
  readonly service?: ServiceHandle;
  /** The harness's ceiling on this machine, when bench:harness measured it here. */
  readonly harnessCeiling?: HarnessCeiling;
  /** Where server logs of the entry (Toxiproxy's) go. */
  readonly workDir: string;
  readonly note: (message: string) => void;
}

const FLUSH_EVERY_S = 1;
const DRAIN_FLUSH_EVERY_S = 0.5;
/** A catch-up is what backlog-drain measures: its end is found to a finer step. */
const CATCH_UP_FLUSH_EVERY_S = 0.05;
const START_DELAY_MS = 100;
/** How long producers may take past the schedule's end to send its last events (backlog-drain). */
const FINISH_SCHEDULE_WITHIN_MS = 10_000;
/**
 * How long stopping producers waits for appends in flight before counting them as failed: at a
 * normal end an overloaded system gets time to answer; after an interrupt, or once the system
 * stopped answering, it gets little (the first Ctrl-C against a frozen Redis took 130 s).
 */
const GIVE_UP_AFTER_MS = 30_000;
const GIVE_UP_QUICKLY_AFTER_MS = 2_000;
/** A host's answer to a request that touches a system which stopped answering. */
const SILENT_SYSTEM_REQUEST_MS = 3_000;

const sleepUntilNs = (targetNs: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const ms = Math.max(0, (targetNs - monotonicNowNs()) / 1e6);
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

/**
 * Runs one adapter × workload entry: starts the role hosts, sets the stream up, paces the
 * per-second merges, stops producing on time, lets the consumers drain, and turns what was
 * measured into the entry of result.json — also when it failed or was interrupted.
 */
export async function runEntry(ctx: EntryContext): Promise<RunEntryResult> {
  // A slow-network fault needs the adapters to connect through the proxy from the start.
  const proxy = ctx.plan.faults.some((f) => f.kind === "slow-network") ? await SlowNetworkProxy.start(ctx.endpoint, ctx.factory.service, ctx.workDir) : undefined;
  try {
    return await runEntryThrough(ctx, proxy);
  } finally {
    await proxy?.stop();
  }
}

async function runEntryThrough(ctx: EntryContext, proxy: SlowNetworkProxy | undefined): Promise<RunEntryResult> {
  const { plan, factory } = ctx;
  const groups = groupNames(plan.consumerGroups);
  const stream = { name: `eventbench-${ctx.runId}-${plan.name}`, partitions: plan.partitions };
  const adapterOptions = { endpoint: proxy?.endpoint ?? ctx.endpoint, settings: ctx.adapterSettings };
  const cqrs = plan.cqrs
    ? {
        boards: { lag: newProjectionLagBuffers(plan.producers, plan.keys), latestCommands: LatestCommandBoard.buffer(plan.producers) },
        readModel: readModelSpec(plan.cqrs.readModel, ctx, stream.name, plan.keys),
      }
    : undefined;
  const capabilities = capabilitiesOf(factory, ctx.adapterSettings);
  const specs = placeRoles({ adapter: factory.name, adapterOptions, capabilities, stream, groups, runTag: ctx.runTag, plan, ...(cqrs ? { cqrs } : {}) });
  const hosts = specs.map((spec) => new HostClient(spec));
  // One admin host, or one per thread for an in-process adapter (each keeps a stream of its own).
  const admins = hosts.filter((h) => h.spec.admin);
  const histogramLog = new HistogramLogFile(ctx.histogramLogPath);
  const aggregator = new RunAggregator(groups, capabilities.systemReportsLag, {
    histogramLog,
    // An in-process adapter's threads each read their own stream: no key is received on two.
    membersSpreadOverThreads: plan.threads.consumers > 1 && !capabilities.inProcess,
    ...(ctx.onInterval ? { onInterval: ctx.onInterval } : {}),
  });
  const totalS = plan.warmupS + plan.durationS;
  let info: HostInfo = { server: "unknown", client: "unknown" };
  let error: string | undefined;
  let setUp = false;
  let t0Ns = 0;
  let t0Wall: string | undefined;
  let lastFlushNs = 0;
  let endCheck: EndCheck = { storedEvents: null, notVisible: null };
  const workload = workloads[plan.workload];
  const consumersFirst = workload.consumersStart !== "after-producing";
  /** Moments of the entry, seconds since t0, for the workload's own figures. */
  const marks: Record<string, number> = {};
  const sinceT0 = () => (monotonicNowNs() - t0Ns) / 1e9;
  const injector = plan.faults.length
    ? new FaultInjector(plan.faults, { server: ctx.service?.control, stream: stream.name, proxy, hosts, groups, verifier: aggregator.verifier, note: ctx.note })
    : undefined;
  let sentAtEnd: ProducersStopped["sentPerKey"] = [];
  const rss = new ProcessRss();
  const schedule = scheduleOf(plan);
  /** Where the last scheduled interval ended: each point's target is what the schedule asked for since. */
  let scheduledUpTo = 0;
  const answers = new AnswerWatch();
  let noAnswer: NoAnswer | undefined;
  const answerCounts = () => ({
    sent: aggregator.counter("sent"),
    answered: aggregator.counter("acked") + aggregator.counter("failed") + aggregator.counter("conflicts"),
  });

  const flush = async (phase: Phase, t: number) => {
    const askedNs = monotonicNowNs();
    const intervals = await Promise.all(hosts.map((h) => h.request<HostInterval>({ type: "flush" })));
    aggregator.readingWaited(phase, (monotonicNowNs() - askedNs) / 1e6);
    for (const interval of intervals) if (interval.snapshot.firsts) injector?.noteFirsts(interval.snapshot.firsts);
    // Where the hosts cut the interval, not when the last answer came: a host's answer may wait
    // for the system's lag (up to 200 ms) after its cut.
    const now = Math.max(...intervals.map((i) => i.takenAtNs));
    const span = { fromS: (lastFlushNs - t0Ns) / 1e9, toS: (now - t0Ns) / 1e9 };
    lastFlushNs = now;
    let target = 0;
    if (schedule && phase !== "drain") {
      target = schedule.meanRate(scheduledUpTo, t);
      scheduledUpTo = t;
    }
    aggregator.add(intervals, phase, t, span, target, rss.sample());
  };

  try {
    const infos = await Promise.all(hosts.map((h) => h.request<HostInfo>({ type: "connect" })));
    info = infos[0] as HostInfo;
    await Promise.all(admins.map((h) => h.request({ type: "setup" })));
    setUp = true;
    if (consumersFirst) await Promise.all(hosts.map((h) => h.request({ type: "start-consumers" })));
    t0Ns = monotonicNowNs() + START_DELAY_MS * 1e6;
    const t0WallMs = Date.now() + START_DELAY_MS;
    t0Wall = new Date(t0WallMs).toISOString();
    histogramLog.startsAt(t0WallMs);
    lastFlushNs = t0Ns;
    rss.sample();
    await Promise.all(hosts.map((h) => h.request({ type: "start-producers", t0Ns })));
    injector?.start(t0Ns);

    for (let k = 1; !ctx.signal.aborted; k++) {
      const t = Math.min(k * FLUSH_EVERY_S, totalS);
      await sleepUntilNs(t0Ns + t * 1e9, ctx.signal);
      if (ctx.signal.aborted) break;
      await flush(t <= plan.warmupS ? "warmup" : "steady", t);
      noAnswer = answers.check(t, answerCounts(), injector?.excusedUntilS() ?? 0);
      if (noAnswer) {
        error = describeNoAnswer(noAnswer);
        ctx.note(`${factory.name} ${plan.name}: ${error}`);
        break;
      }
      if (t >= totalS) break;
      if (t > plan.warmupS && workload.stopProducing?.(plan, aggregator.timeseries)) break;
    }

    // Consumers that start after producing read a backlog whose size is the measure: the whole
    // schedule is sent, not what the producer thread had sent when this thread's clock reached the end.
    // A server still paused or down is given back before the drain needs it.
    await injector?.finish();
    const finishSchedule = !consumersFirst && !ctx.signal.aborted && !noAnswer ? { finishScheduleWithinMs: FINISH_SCHEDULE_WITHIN_MS } : {};
    const giveUpAfterMs = ctx.signal.aborted || noAnswer ? GIVE_UP_QUICKLY_AFTER_MS : GIVE_UP_AFTER_MS;
    const stopWithinMs = giveUpAfterMs + (finishSchedule.finishScheduleWithinMs ?? 0) + 10_000;
    const stopped = await Promise.all(hosts.map((h) => h.request<ProducersStopped>({ type: "stop-producers", giveUpAfterMs, ...finishSchedule }, stopWithinMs)));
    for (const s of stopped) for (const p of s.sentPerKey) aggregator.verifier.sent(p.producerId, p.nextSeq);
    sentAtEnd = stopped.flatMap((s) => s.sentPerKey);
    marks.producersStopped = sinceT0();
    if (noAnswer) {
      // Nothing more is asked of a silent system: what was measured is read and kept, quickly.
      await Promise.all(hosts.map((h) => h.request({ type: "stop-consumers" }, SILENT_SYSTEM_REQUEST_MS).catch(() => undefined)));
      await flush("drain", (monotonicNowNs() - t0Ns) / 1e9);
    } else {
      if (!consumersFirst && groups.length > 0 && !ctx.signal.aborted) {
        await Promise.all(hosts.map((h) => h.request({ type: "start-consumers" })));
        marks.consumersStarted = sinceT0();
      }
      if (groups.length > 0 && (consumersFirst || marks.consumersStarted !== undefined)) {
        const drainedAt = await drain(ctx, plan, aggregator, groups, flush, t0Ns, consumersFirst ? DRAIN_FLUSH_EVERY_S : CATCH_UP_FLUSH_EVERY_S);
        if (drainedAt !== null) marks.drained = drainedAt;
      }
      await Promise.all(hosts.map((h) => h.request({ type: "stop-consumers" })));
      await flush("drain", (monotonicNowNs() - t0Ns) / 1e9);
      if (plan.eventStore || plan.cqrs) endCheck = await checkEnd(hosts, stopped);
    }
  } catch (e) {
    error ??= e instanceof Error ? e.message : String(e);
  } finally {
    await injector?.finish().catch((e: Error) => (error ??= `undoing a fault failed: ${e.message}`));
    const silentWithinMs = noAnswer ? { timeoutMs: SILENT_SYSTEM_REQUEST_MS } : {};
    if (setUp) {
      await Promise.all(
        admins.map((h) => h.request({ type: "teardown" }, silentWithinMs.timeoutMs).catch((e: Error) => (error ??= `teardown failed: ${e.message}`))),
      );
    }
    await Promise.all(hosts.map((h) => h.request({ type: "close" }, silentWithinMs.timeoutMs ?? 10_000).catch(() => undefined)));
    await Promise.all(hosts.map((h) => h.terminate()));
  }

  aggregator.releaseHeldReceipts();
  const faults: FaultResult[] | undefined = injector
    ? faultResults({
        records: injector.records,
        verifier: aggregator.verifier,
        groups,
        sentAtEnd: seqMarks(sentAtEnd),
        timeseries: aggregator.timeseries,
        t0Ns,
        persistence: { ...ctx.service?.persistence, ...factory.durability?.(ctx.adapterSettings) },
      })
    : undefined;
  const workloadOwn = workloadResults(plan, aggregator, endCheck, marks);
  const measured = {
    ...buildEntry(ctx, info, groups, aggregator, adapterOptions.endpoint, rss.summary(), t0Ns),
    ...workloadOwn,
    ...(faults ? { faults, figures: [...workloadOwn.figures, ...faultFigures(faults)] } : {}),
    ...(t0Wall ? { t0: t0Wall } : {}),
    ...(noAnswer ? { noAnswer } : {}),
  };
  const entry = { ...measured, figures: withClaims(measured, plan.claims) };
  const e2e = aggregator.mergedEndToEnd();
  const thresholds = evaluateThresholds(plan.thresholds, {
    entry,
    histogram: (latency) => (latency === "endToEnd" ? e2e : aggregator.steadyHistogram(LATENCY_METRICS[latency].recorded)),
  });
  e2e.destroy();
  try {
    aggregator.destroy();
  } catch (e) {
    // The interval log could not be kept (a read-only or full disk): the entry's figures are.
    if (!(e instanceof ResultWriteError)) throw e;
    error ??= e.message;
  }
  // Under faults a loss is what is being measured (e.g. a kill with AOF off), not a broken run.
  const verificationFailed = entry.delivery.lost > 0 && !faults;
  // Nothing measured is never a pass: a count-only threshold (lost == 0) holds on 0 events.
  if (error === undefined && !ctx.signal.aborted && entry.delivery.sent === 0) {
    error = "nothing measured: no event was sent (a duration shorter than one event's interval at this rate?)";
  }
  const targetHeld = judgeTargetHeld(entry, plan.targetHeld, workloads[plan.workload].probesCapacity === true);
  const status = entryStatus({ error: error !== undefined, incomplete: ctx.signal.aborted, failed: thresholds.some((t) => !t.passed) || verificationFailed, targetHeld });
  return { ...entry, status, ...(error ? { error } : {}), ...(targetHeld ? { targetHeld } : {}), thresholds };
}

function readModelSpec(kind: "in-process-map" | "redis-hash", ctx: EntryContext, streamName: string, keys: number): ReadModelSpec {
  if (kind === "in-process-map") return { kind };
  if (!ctx.readModelRedisUrl) throw new Error("readModel redis-hash needs a Redis, and the run has none");
  return { kind, url: ctx.readModelRedisUrl, prefix: `${streamName}:read-model`, keys };
}

/** Sums what each host verified after the drain (only the host that holds a role answers non-null). */
async function checkEnd(hosts: readonly HostClient[], stopped: readonly ProducersStopped[]): Promise<EndCheck> {
  const sentPerKey = stopped.flatMap((s) => s.sentPerKey);
  const checks = await Promise.all(hosts.map((h) => h.request<EndCheck>({ type: "check-end", sentPerKey }, 120_000)));
  const sum = (pick: (c: EndCheck) => number | null) =>
    checks.some((c) => pick(c) !== null) ? checks.reduce((n, c) => n + (pick(c) ?? 0), 0) : null;
  return { storedEvents: sum((c) => c.storedEvents), notVisible: sum((c) => c.notVisible) };
}

function workloadResults(plan: WorkloadPlan, agg: RunAggregator, endCheck: EndCheck, marks: Readonly<Record<string, number>>): Pick<RunEntryResult, "figures" | "curves"> {
  const workload = workloads[plan.workload];
  if (!workload.results) return { figures: [], curves: [] };
  const measured: MeasuredEntry = {
    counter: (name) => agg.counter(name),
    steadyCounter: (name) => agg.counter(name, ["steady"]),
    steadySeconds: agg.steadySeconds,
    histogram: (metric) => agg.steadyHistogram(metric),
    histogramNames: (prefix) => agg.steadyMetricNames(prefix),
    storedEvents: endCheck.storedEvents,
    notVisibleAtEnd: endCheck.notVisible,
    timeseries: agg.timeseries,
    consumedUpToPoint: agg.consumedUpToPoint,
    marks,
    lagByGroup: Object.fromEntries(groupNames(plan.consumerGroups).map((g) => [g, agg.lagStats(g)])),
  };
  return workload.results(plan, measured);
}

/** After an interrupt the drain is short: long enough for events in flight, not a second run. */
const INTERRUPTED_DRAIN_S = 2;

/**
 * Lets consumers catch up after producing stopped, until nothing acknowledged is missing; answers
 * when that was (seconds since t0, to the flush interval), or null when the timeout came first.
 */
async function drain(
  ctx: EntryContext,
  plan: WorkloadPlan,
  aggregator: RunAggregator,
  groups: readonly string[],
  flush: (phase: Phase, t: number) => Promise<void>,
  t0Ns: number,
  everyS: number,
): Promise<number | null> {
  const drainS = ctx.signal.aborted ? Math.min(INTERRUPTED_DRAIN_S, plan.drainTimeoutS) : plan.drainTimeoutS;
  const deadline = monotonicNowNs() + drainS * 1e9;
  let t = (monotonicNowNs() - t0Ns) / 1e9;
  while (monotonicNowNs() < deadline) {
    if (groups.every((g) => aggregator.verifier.counts(g).lost === 0)) return t;
    await sleepUntilNs(monotonicNowNs() + everyS * 1e9, ctx.signal);
    t = (monotonicNowNs() - t0Ns) / 1e9;
    await flush("drain", t);
  }
  return null;
}

/** The open-loop schedule of the whole entry (warm-up first); null in closed loop. */
function scheduleOf(plan: WorkloadPlan): PiecewiseLinearSchedule | null {
  return plan.mode === "open-loop" && plan.stages.length ? new PiecewiseLinearSchedule(plan.stages) : null;
}

/**
 * Events/s the schedule asked for over the measured steady state, from the end of warm-up to the
 * last steady interval (earlier than planned when a max-throughput search stopped): a ramp is
 * judged against what it scheduled, not against its peak.
 */
function steadyTarget(plan: WorkloadPlan, timeseries: readonly TimeseriesPoint[]): number {
  const schedule = scheduleOf(plan);
  if (!schedule) return 0;
  const end = timeseries.findLast((p) => p.phase === "steady")?.t ?? plan.warmupS + plan.durationS;
  return Math.round(schedule.meanRate(plan.warmupS, end) * 100) / 100;
}

function buildEntry(
  ctx: EntryContext,
  info: HostInfo,
  groups: readonly string[],
  agg: RunAggregator,
  endpoint: Endpoint,
  rssMiB: RunEntryResult["harness"]["rssMiB"],
  t0Ns: number,
): Omit<RunEntryResult, "thresholds" | "status"> {
  const { plan, factory } = ctx;
  const measuredS = agg.steadySeconds;
  const perSecond = (n: number) => (measuredS > 0 ? Math.round((n / measuredS) * 100) / 100 : 0);
  const steady: Phase[] = ["steady"];
  const consumedSteady = groups.reduce((sum, g) => sum + agg.counter(`received:${g}`, steady), 0) / Math.max(1, groups.length);

  const byGroup = Object.fromEntries(groups.map((g) => [g, agg.verifier.counts(g)]));
  const totals = { sent: 0, acked: 0, consumed: 0, lost: 0, duplicated: 0, outOfOrder: 0 };
  groups.forEach((g, i) => {
    const c = byGroup[g] as (typeof byGroup)[string];
    if (i === 0) {
      totals.sent = c.sent;
      totals.acked = c.acked;
    }
    totals.consumed += c.consumed;
    totals.lost += c.lost;
    totals.duplicated += c.duplicated;
    totals.outOfOrder += c.outOfOrder;
  });
  if (groups.length === 0) {
    totals.sent = agg.counter("sent");
    totals.acked = agg.counter("acked");
  }

  const e2e = agg.mergedEndToEnd();
  const e2eWarm = agg.mergedEndToEnd("warmup");
  const endToEnd = summarize(e2e);
  const endToEndWarmup = summarize(e2eWarm);
  e2e.destroy();
  e2eWarm.destroy();

  const scheduleDelay = agg.summary("schedule");
  const throughput = {
    target: steadyTarget(plan, agg.timeseries),
    sent: perSecond(agg.counter("sent", steady)),
    acked: perSecond(agg.counter("acked", steady)),
    consumed: perSecond(consumedSteady),
    measuredS: Math.round(measuredS * 1000) / 1000,
  };
  const ceiling = ctx.harnessCeiling
    ? { eventsPerSecond: ctx.harnessCeiling.eventsPerSecond, measuredAt: ctx.harnessCeiling.measuredAt, share: round3(throughput.acked / ctx.harnessCeiling.eventsPerSecond) }
    : undefined;
  const warnings = harnessWarnings({
    mode: plan.mode,
    // The event-store schedule is one of commands (of 1..k events each): judge it by commands sent.
    throughput: plan.eventStore ? { target: throughput.target, sent: perSecond(agg.counter("commands", steady)) } : throughput,
    scheduleDelayP99Ms: scheduleDelay.p99,
    inFlightLimited: agg.counter("inFlightLimited"),
    eventLoopP99Ms: agg.eventLoopP99Ms,
    readingWaitMaxMs: agg.readingWaitMaxMs,
    inProcess: factory.capabilities.inProcess,
    ceilingShare: ceiling?.share ?? null,
  });

  const lagByGroup = Object.fromEntries(groups.map((g) => [g, agg.lagStats(g)]));
  const lagValues = Object.values(lagByGroup);
  const maxOf = (xs: (number | null)[]) => (xs.some((x) => x !== null) ? Math.max(...xs.filter((x): x is number => x !== null)) : null);

  return {
    adapter: factory.name,
    workload: plan.workload,
    scenario: plan.name,
    mode: plan.mode,
    executor: plan.executor,
    settings: {
      targetRate: plan.targetRate,
      stages: plan.stages.map((s) => ({ ...s })),
      vus: plan.vus,
      warmupS: plan.warmupS,
      durationS: plan.durationS,
      producers: plan.producers,
      consumerGroups: plan.consumerGroups,
      consumersPerGroup: plan.consumersPerGroup,
      keys: plan.keys,
      payloadSize: plan.payloadSize,
      partitions: plan.partitions,
      batchSize: plan.batchSize,
      lingerMs: plan.lingerMs,
      maxInFlight: plan.maxInFlight,
      consumerBatch: plan.consumerBatch,
      threads: { ...plan.threads },
      adapterSettings: { ...ctx.adapterSettings },
    },
    system: {
      server: info.server,
      client: info.client,
      ...(factory.unmaintained ? { unmaintained: factory.unmaintained } : {}),
      endpoint: endpoint.display,
      provider: endpoint.provider,
    },
    capabilities: { ...capabilitiesOf(factory, ctx.adapterSettings) },
    latency: {
      publish: agg.summary("publish"),
      endToEnd,
      service: agg.summary("service"),
      endToEndByGroup: Object.fromEntries(groups.map((g) => [g, agg.summary(`e2e:${g}`)])),
      warmup: { publish: agg.summary("publish", "warmup"), endToEnd: endToEndWarmup },
    },
    throughput,
    consumerLag: {
      source: agg.lagSource,
      byGroup: lagByGroup,
      maxEvents: maxOf(lagValues.map((l) => l.maxEvents)),
      maxMs: maxOf(lagValues.map((l) => l.maxMs)),
    },
    delivery: {
      ...totals,
      byGroup,
      errors: agg.counter("errors"),
      conflicts: agg.counter("conflicts"),
      errorMessages: agg.errorMessages(t0Ns),
      redelivered: agg.counterPrefix("redelivered:"),
      clockAnomalies: agg.counterPrefix("clockAnomalies:"),
    },
    adapterStats: agg.countersWithPrefix("adapter:"),
    timeseries: agg.timeseries,
    harness: {
      eventLoopDelayMs: { p99: round3(agg.eventLoopP99Ms), max: round3(agg.eventLoopMaxMs) },
      scheduleDelay,
      inFlightLimited: agg.counter("inFlightLimited"),
      dueNotSentMax: agg.maximum("dueNotSent"),
      readingWaitMaxMs: round3(agg.readingWaitMaxMs),
      producerCpu: {
        threads: round3(agg.counter("cpuUs:producerThreads", steady) / 1e6 / Math.max(measuredS, 1e-9)),
        wakeSleepers: round3(agg.counter("cpuUs:wakeSleepers", steady) / 1e6 / Math.max(measuredS, 1e-9)),
      },
      warnings,
      flagged: warnings.length > 0,
      ...(ceiling ? { ceiling } : {}),
      ...(rssMiB ? { rssMiB } : {}),
    },
    figures: [],
    curves: [],
    histograms: agg.encodedSteady(),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

