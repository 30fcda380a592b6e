import { z } from "zod";

/**
 * result.json, version 1: the contract between a run and everything that reads it later (report,
 * compare, merge). `harness/result/result.schema.json` is generated from this (`npm run schemas`)
 * and checked for drift by a test. Latencies are milliseconds with microsecond decimals.
 */
export const RESULT_SCHEMA_VERSION = 1;

const latencySummary = z
  .object({
    count: z.number().int().nonnegative(),
    min: z.number(),
    mean: z.number(),
    p50: z.number(),
    p90: z.number(),
    p99: z.number(),
    p999: z.number(),
    max: z.number(),
  })
  .strict();

const deliveryCounts = z
  .object({
    sent: z.number().int().nonnegative(),
    acked: z.number().int().nonnegative(),
    consumed: z.number().int().nonnegative(),
    lost: z.number().int().nonnegative(),
    duplicated: z.number().int().nonnegative(),
    outOfOrder: z.number().int().nonnegative(),
  })
  .strict();

const lagStats = z
  .object({
    maxEvents: z.number().nullable(),
    lastEvents: z.number().nullable(),
    maxMs: z.number().nullable(),
    lastMs: z.number().nullable(),
  })
  .strict();

const timeseriesPoint = z
  .object({
    t: z.number().describe("seconds since the first event was due"),
    phase: z.enum(["warmup", "steady", "drain"]),
    targetRate: z.number().describe("events/s the schedule asked for over this interval (its scheduled events / its length; 0: closed loop or draining)"),
    sent: z.number(),
    acked: z.number(),
    consumed: z.number(),
    errors: z.number(),
    publishP50: z.number().nullable(),
    publishP99: z.number().nullable(),
    publishMax: z.number().nullable(),
    e2eP50: z.number().nullable(),
    e2eP99: z.number().nullable(),
    e2eMax: z.number().nullable(),
    lagEvents: z.number().nullable(),
    lagMs: z.number().nullable(),
    scheduleDelayP99: z.number().nullable().describe("ms between intended and actual send, p99 of the interval"),
    eventLoopDelayP99: z.number().describe("ms, worst p99 event-loop delay of any harness thread in the interval"),
    rssMiB: z.number().optional().describe("resident memory of the harness process (every thread) at the end of the interval"),
    projectionLagP50: z.number().nullable().optional().describe("cqrs: ms, broker acknowledgement → visible in the read model, p50 of the interval"),
    projectionLagP99: z.number().nullable().optional(),
    projectionLagMax: z.number().nullable().optional(),
  })
  .strict();

const thresholdVerdict = z
  .object({
    metric: z.string(),
    expression: z.string(),
    value: z.number().nullable(),
    passed: z.boolean(),
  })
  .strict();

/**
 * What a workload measures beyond the pipeline figures every entry has (conflict rate, projection
 * lag, catch-up rate, the max-throughput curve...). The report renders these generically, so a new
 * workload appears in it without changes to the report code.
 */
const faultResult = z
  .object({
    kind: z.enum(["pause-server", "restart-server", "kill-broker", "pause-broker", "kill-member", "slow-network"]),
    description: z.string(),
    atS: z.number().describe("planned start, seconds since t0"),
    startedS: z.number().nullable().describe("when it was applied (null: the entry ended first)"),
    endedS: z.number().nullable().describe("when the disruption was over: resumed, restarted and answering, replacement started, network restored"),
    error: z.string().optional().describe("the fault could not be applied, and why"),
    firstAckAfterS: z.number().nullable().describe("s from the start to the first append acknowledged after the end; null: none"),
    firstConsumedAfterS: z.number().nullable().describe("s from the start to the first event consumed after the end; null: none"),
    replacementFirstEventS: z.number().nullable().optional().describe("kill-member: s from the kill to the replacement member's first event (rebalance time)"),
    member: z.string().optional().describe("kill-broker, pause-broker: the member killed or paused, and the role it held when the fault started"),
    roleTakenOverS: z
      .number()
      .nullable()
      .optional()
      .describe("kill-broker, pause-broker of a role: s from the kill or pause until the cluster's metadata named another member in it (the election); null: not before the member was back"),
    ackedResumedS: z.number().nullable().optional().describe("s from the start to the end of the first whole second after it with acknowledgements back at 90 % of the level before the faults; null: not in the entry"),
    consumedResumedS: z.number().nullable().optional().describe("the same for consumed events"),
    windowFromS: z.number().nullable().describe("its window of sends starts here (0 for the first fault, 2 s before a later one) and runs until the next fault's: every loss belongs to one fault"),
    lost: z.number().describe("events of the window acknowledged and never consumed, summed over groups"),
    lostByGroup: z.record(z.string(), z.number()),
    duplicated: z.number().describe("receipts of an event already received, in the window"),
    outOfOrder: z.number().describe("receipts after a later event of the same key, in the window"),
    publishP99Ms: z.object({ before: z.number().nullable(), peak: z.number().nullable() }).strict(),
    e2eP99Ms: z.object({ before: z.number().nullable(), peak: z.number().nullable() }).strict(),
    latencyRecoveredS: z.number().nullable().describe("s from the start until a second's publish p99 was back near its level before the faults"),
    persistence: z.record(z.string(), z.string()).describe("durability settings in force: a loss with persistence off is a finding about that setting"),
  })
  .strict();
export type FaultResult = z.infer<typeof faultResult>;

const workloadFigure = z
  .object({
    name: z.string().describe('what was measured, e.g. "conflict rate"'),
    value: z.number().nullable().describe("null: not measurable in this run (the description says why)"),
    unit: z.string().describe('"%", "ms", "events/s", "events", "s" or a count noun'),
    description: z.string().optional(),
    fault: z.number().int().nonnegative().optional().describe("index in `faults` of the fault this figure is about (shown in the faults table, not with the workload's figures)"),
    claim: z
      .object({
        source: z.string().describe("where the published figure comes from"),
        published: z.string().describe("the published figure as stated"),
        scaling: z.string().describe("how it was scaled to this machine, or why it was not"),
      })
      .strict()
      .optional()
      .describe("a published figure this one is put beside (seed-claims)"),
  })
  .strict();

const workloadCurve = z
  .object({
    id: z.string().describe("stable id; the report overlays the same curve of every adapter"),
    title: z.string(),
    xLabel: z.string(),
    yLabel: z.string(),
    xScale: z.enum(["linear", "log"]),
    yScale: z.enum(["linear", "log"]),
    series: z.array(z.object({ name: z.string(), points: z.array(z.tuple([z.number(), z.number()])) }).strict()),
  })
  .strict();

/**
 * "target-not-held": nothing failed, but an open-loop entry acknowledged less than its required
 * share of the target; the latencies then describe a lower rate than the one asked for.
 */
const entryStatus = z.enum(["passed", "failed", "incomplete", "error", "target-not-held"]);

export const runEntrySchema = z
  .object({
    adapter: z.string(),
    workload: z.string(),
    scenario: z.string().describe("scenario name inside the scenario file"),
    status: entryStatus,
    error: z.string().optional(),
    targetHeld: z
      .object({
        share: z.number().describe("acknowledged events/s ÷ target events/s over the steady state"),
        required: z.number().describe("the least share that holds the target (the scenario's targetHeld.share, 0.95 by default)"),
        held: z.boolean(),
        gate: z.boolean().describe("true: the scenario fails the run when the target is not held"),
      })
      .strict()
      .optional()
      .describe("open loop: whether the system kept up with the rate asked; absent in closed loop, for a capacity search (max-throughput judges its own steps) and in results written before it was judged"),
    noAnswer: z
      .object({
        lastAnswerS: z.number().nullable().describe("seconds since t0 by which the system last answered anything; null if it never did"),
        detectedS: z.number().describe("when the harness gave up waiting"),
        waiting: z.number().describe("events sent and neither acknowledged nor failed at that moment"),
      })
      .strict()
      .optional()
      .describe("the system stopped answering mid-entry: the entry ended there as an error, what was measured before is kept"),
    mode: z.enum(["open-loop", "closed-loop"]),
    executor: z.string(),
    settings: z
      .object({
        targetRate: z.number().describe("the schedule's peak rate, events/s (constant-arrival-rate: its rate)"),
        stages: z.array(z.object({ from: z.number(), to: z.number(), durationS: z.number() }).strict()),
        vus: z.number(),
        warmupS: z.number(),
        durationS: z.number(),
        producers: z.number(),
        consumerGroups: z.number(),
        consumersPerGroup: z.number(),
        keys: z.number(),
        payloadSize: z.number(),
        partitions: z.number(),
        batchSize: z.number(),
        lingerMs: z.number(),
        maxInFlight: z.number(),
        consumerBatch: z.number(),
        threads: z
          .object({ producers: z.number(), consumers: z.number() })
          .strict()
          .optional()
          .describe("worker threads producers and group members were spread over (absent in results from before it was a setting: one each)"),
        adapterSettings: z.record(z.string(), z.unknown()),
      })
      .strict(),
    system: z
      .object({
        server: z.string(),
        client: z.string(),
        unmaintained: z.string().optional().describe("set when the client library is no longer maintained: why"),
        endpoint: z.string(),
        provider: z.string(),
      })
      .strict(),
    capabilities: z.record(z.string(), z.boolean()),
    latency: z
      .object({
        publish: latencySummary.describe("intended send time → acknowledgement"),
        endToEnd: latencySummary.describe("intended send time → received by a consumer, all groups"),
        service: latencySummary.describe("actual send → acknowledgement, per append call (wrk2's service time)"),
        endToEndByGroup: z.record(z.string(), latencySummary),
        warmup: z.object({ publish: latencySummary, endToEnd: latencySummary }).strict(),
      })
      .strict(),
    throughput: z
      .object({
        target: z.number().describe("events/s the schedule asked for over the steady state: its scheduled events / its length (a ramp's mean, not its peak)"),
        sent: z.number(),
        acked: z.number(),
        consumed: z.number(),
        measuredS: z.number(),
      })
      .strict(),
    consumerLag: z
      .object({
        source: z.enum(["system", "harness"]),
        byGroup: z.record(z.string(), lagStats),
        maxEvents: z.number().nullable(),
        maxMs: z.number().nullable(),
      })
      .strict(),
    delivery: deliveryCounts
      .extend({
        byGroup: z.record(z.string(), deliveryCounts.extend({ foreign: z.number() }).strict()),
        errors: z.number(),
        errorMessages: z
          .array(z.object({ message: z.string(), count: z.number(), firstS: z.number(), lastS: z.number() }).strict())
          .optional()
          .describe("the distinct messages of the failed appends (errors), most frequent first, with first and last time in seconds since t0; at most 20, further ones counted together"),
        conflicts: z.number(),
        redelivered: z.number(),
        clockAnomalies: z.number().describe("latencies ≤ 0 (clock steps): counted, never recorded"),
      })
      .strict(),
    adapterStats: z.record(z.string(), z.number()).describe("what the adapter counted itself, e.g. throttled requests retried"),
    timeseries: z.array(timeseriesPoint),
    t0: z.string().optional().describe("wall-clock time (ISO) of t = 0 of the timeseries: lines up workers' timelines in a merge"),
    harness: z
      .object({
        eventLoopDelayMs: z.object({ p99: z.number(), max: z.number() }).strict(),
        scheduleDelay: latencySummary.describe("intended send time → actual send: the harness's own lateness"),
        inFlightLimited: z.number().describe("scheduler ticks that waited because maxVUs appends were in flight"),
        dueNotSentMax: z.number(),
        readingWaitMaxMs: z
          .number()
          .optional()
          .describe("longest wait (ms, steady state) for the harness threads to hand over their per-second readings; long waits make per-second figures unreliable"),
        producerCpu: z
          .object({
            threads: z.number().describe("cores (1 = one whole core) used by the threads that run producers, summed over them: sending, acknowledgements, pacing, and whatever else shares those threads"),
            wakeSleepers: z.number().describe("cores used by the producers' wake-clock sleeper threads (precise pacing), summed"),
          })
          .strict()
          .optional()
          .describe("CPU of the producer threads in the steady state (process.threadCpuUsage); absent in results written before it was measured"),
        warnings: z.array(z.string()),
        flagged: z.boolean().describe("true when the harness may have been its own bottleneck"),
        ceiling: z
          .object({
            eventsPerSecond: z.number().describe("the harness's own ceiling on this machine (npm run bench:harness, memory adapter, one group)"),
            measuredAt: z.string(),
            share: z.number().describe("this entry's acknowledged events/s as a share of the ceiling"),
          })
          .strict()
          .optional()
          .describe("absent when bench:harness never ran on this machine"),
        rssMiB: z
          .object({ start: z.number(), end: z.number(), max: z.number() })
          .strict()
          .optional()
          .describe("resident memory of the harness process: at t = 0, at the end of the drain, and the highest per-interval sample"),
      })
      .strict(),
    thresholds: z.array(thresholdVerdict),
    figures: z.array(workloadFigure).describe("the workload's own figures, beyond the pipeline's (and each fault's)"),
    faults: z.array(faultResult).optional().describe("faults injected during the entry, each with its recovery, losses and latency spike"),
    curves: z.array(workloadCurve).describe("the workload's own curves (x → y), e.g. rate → p99"),
    histograms: z
      .record(z.string(), z.string())
      .describe("steady-state HdrHistograms (µs), compressed base64 (HISTFAAA…): publish, service, schedule, e2e:<group>"),
  })
  .strict();

export const runResultSchema = z
  .object({
    schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
    runId: z.string(),
    status: z.enum(["passed", "failed", "incomplete", "error"]),
    scenario: z
      .object({
        name: z.string(),
        file: z.string(),
        description: z.string().optional().describe("the scenario file's description"),
        regression: z
          .object({ tolerance: z.number(), alpha: z.number(), minDeltaMs: z.number().default(1) })
          .strict()
          .describe("what a comparison with a baseline uses"),
      })
      .strict(),
    startedAt: z.string(),
    finishedAt: z.string(),
    interrupted: z.boolean(),
    environment: z
      .object({
        provider: z.string(),
        clock: z.string(),
        eventbench: z.string(),
        host: z
          .object({ hostname: z.string(), platform: z.string(), arch: z.string(), cpus: z.number(), cpuModel: z.string(), memoryGiB: z.number(), node: z.string() })
          .strict(),
        services: z.array(
          z
            .object({
              kind: z.string(),
              provider: z.string(),
              version: z.string(),
              endpoint: z.string(),
              log: z.string().nullable(),
              persistence: z.record(z.string(), z.string()).optional().describe("durability settings the server was started with"),
            })
            .strict(),
        ),
      })
      .strict(),
    runs: z.array(runEntrySchema),
    workers: z
      .array(z.object({ runId: z.string(), hostname: z.string(), startedAt: z.string(), clock: z.string() }).strict())
      .optional()
      .describe("present when this result merges several workers' results (`eventbench merge`)"),
    notes: z.array(z.string()).optional().describe("how figures were derived where that is not obvious, e.g. in a merge"),
    skipped: z.array(z.object({ adapter: z.string(), reason: z.string() }).strict()),
  })
  .strict();

export type RunEntryResult = z.infer<typeof runEntrySchema>;
export type RunResult = z.infer<typeof runResultSchema>;
export type LatencySummaryJson = z.infer<typeof latencySummary>;
export type WorkloadFigure = z.infer<typeof workloadFigure>;
export type WorkloadCurve = z.infer<typeof workloadCurve>;
export type TimeseriesPoint = z.infer<typeof timeseriesPoint>;
