import { z } from "zod";
import { serviceDefinitions } from "../../adapters/registry.js";
import { parseDuration } from "./duration.js";
import { aggregationName, parseThreshold } from "./threshold.js";
import { THRESHOLD_METRICS } from "./threshold-metrics.js";

/**
 * The scenario file format, in k6's vocabulary where it fits (executors, rate/timeUnit, stages,
 * maxVUs, thresholds), validated before anything starts. `scenarios/scenario.schema.json` is
 * generated from this schema (`npm run schemas`) and checked for drift by a test.
 */

const duration = z.string().refine((s) => parseDuration(s) !== null, {
  message: 'expected a duration such as "500ms", "10s", "1m30s" or "1h"',
});

const positiveInt = z.number().int().positive();

/**
 * k6's two threshold forms: the string, and the object, taken when it would not abort the run
 * (`abortOnFail` is refused by name before this schema, see k6-not-taken.ts).
 */
const thresholdItem = z.union([
  z.string(),
  z.object({ threshold: z.string(), abortOnFail: z.literal(false).optional() }).strict(),
]);
const thresholdList = z.array(thresholdItem).min(1);

/** The expression of either threshold form. */
export const thresholdSource = (item: z.infer<typeof thresholdItem>): string => (typeof item === "string" ? item : item.threshold);

/**
 * When an open-loop entry counts as having held its target rate. Always judged and shown; `gate`
 * makes an unheld target fail the run, as a failed threshold does.
 */
export const targetHeldSchema = z
  .object({
    // No defaults here: a scenario's own block overrides the file's field by field.
    share: z.number().positive().max(1).optional().describe("least share of the target rate (acknowledged events/s ÷ target) an entry must reach to have held it; default 0.95"),
    gate: z.boolean().optional().describe("true: an entry that did not hold its target fails the run (exit 1); default false (marked, not failing)"),
  })
  .strict();

/**
 * Per adapter, a factor on the file's open-loop rates: for a system that cannot hold them on the
 * machine the file is meant for. The entry's target is the scaled rate (so holding it is judged
 * against what the system was asked), and the run says so in its notes.
 */
export const rateScaleSchema = z
  .record(z.string().min(1), z.number().positive().max(10))
  .describe('open loop: per adapter, a factor on this file\'s rates (e.g. { <adapter>: 0.5 } runs that adapter at half of each rate); the target is the scaled rate; --rate replaces it');

export const thresholdsSchema = z
  .record(z.string(), thresholdList)
  .superRefine((thresholds, ctx) => {
    for (const [metric, expressions] of Object.entries(thresholds)) {
      const accepted = THRESHOLD_METRICS[metric];
      if (!accepted) {
        ctx.addIssue({ code: "custom", path: [metric], message: `unknown metric; expected one of ${Object.keys(THRESHOLD_METRICS).join(", ")}` });
        continue;
      }
      expressions.forEach((item, i) => {
        const source = thresholdSource(item);
        const parsed = parseThreshold(source);
        if (!parsed) {
          ctx.addIssue({ code: "custom", path: [metric, i], message: `"${source}" is not a threshold; expected e.g. "p(99)<25", "avg<10", "rate<0.01", "count==0"` });
        } else if (!accepted.includes(parsed.aggregation.kind)) {
          ctx.addIssue({
            code: "custom",
            path: [metric, i],
            message: `${metric} has no ${aggregationName(parsed.aggregation)}; expected ${accepted.map((k) => (k === "percentile" ? "p(N)" : k)).join(", ")}`,
          });
        }
      });
    }
  });

const stage = z.object({ target: z.number().nonnegative(), duration }).strict();

const faultAt = duration.describe("when, since the first event was due (warm-up included)");
/** The member a fault on one broker of a cluster acts on. */
const brokerOrRole = z
  .union([z.number().int().positive(), z.string().min(1)])
  .default("leader")
  .describe("the member's number, or a role the service looks up in the cluster's metadata when the fault starts (the service lists its roles: e.g. leader, controller)");

const fault = z.discriminatedUnion("kind", [
  z
    .object({ kind: z.literal("pause-server").describe("SIGSTOP/SIGCONT of the native process, docker pause/unpause"), at: faultAt, for: duration })
    .strict(),
  z
    .object({
      kind: z.literal("restart-server").describe("SIGKILL the server, then start it again on the same data and port (native provider)"),
      at: faultAt,
      down: duration.default("1s").describe("how long the server stays down"),
    })
    .strict(),
  z
    .object({
      kind: z.literal("kill-broker").describe("SIGKILL one member of a server cluster eventbench started (native provider, a service with more than one broker), start it again after down"),
      at: faultAt,
      broker: brokerOrRole,
      down: duration.default("5s").describe("how long the member stays down"),
    })
    .strict(),
  z
    .object({
      kind: z.literal("pause-broker").describe("SIGSTOP one member of a server cluster eventbench started (native provider, a service with more than one broker), SIGCONT after for: its connections stay open, nothing is answered"),
      at: faultAt,
      broker: brokerOrRole,
      for: duration.default("5s").describe("how long the member stays paused"),
    })
    .strict(),
  z
    .object({
      kind: z.literal("kill-member").describe("a consumer group member dies abruptly (no ack, no goodbye); a new member joins"),
      at: faultAt,
      group: z.string().default("group-1"),
      member: z.string().default("member-1"),
      replaceAfter: duration.default("0s").describe("when the replacement member starts, after the kill"),
    })
    .strict(),
  z
    .object({
      kind: z.literal("slow-network").describe("latency (and a bandwidth limit) between harness and server, through Toxiproxy on loopback"),
      at: faultAt,
      for: duration,
      latencyMs: z.number().nonnegative(),
      jitterMs: z.number().nonnegative().default(0),
      bandwidthKBps: z.number().positive().optional().describe("KiB/s each way; absent: latency only"),
    })
    .strict(),
]);

/** `services.<name>`: each service's own settings schema (`ServiceDefinition.settings`), for those that take any. */
const servicesSchema = z
  .object(Object.fromEntries(serviceDefinitions().flatMap((s) => (s.settings ? [[s.name, s.settings.optional()]] : []))))
  .strict();

const common = {
  workload: z
    .enum(["publish-consume", "event-store", "cqrs", "fan-out", "backlog-drain", "max-throughput"])
    .default("publish-consume")
    .describe("what the run does"),
  duration: duration.optional().describe("measured time after warm-up"),
  warmup: duration.default("0s").describe("time at the starting rate before measurement, reported apart"),
  producers: positiveInt.default(1).describe("producer instances; the rate is split between them"),
  consumerGroups: z.number().int().nonnegative().default(1).describe("independent consumer groups reading the stream"),
  consumersPerGroup: positiveInt.default(1).describe("members of each consumer group"),
  threads: z
    .object({
      producers: positiveInt.default(1).describe("worker threads the producers are spread over (each with its own connections and histograms)"),
      consumers: positiveInt.default(1).describe("worker threads the consumer group members are spread over"),
    })
    .strict()
    .default({ producers: 1, consumers: 1 })
    .describe("load generation across CPU cores; an in-process adapter runs one independent stream per producer thread"),
  keys: positiveInt.default(100).describe("aggregates (partition keys)"),
  keyDistribution: z.enum(["uniform", "zipf"]).default("uniform").describe("how the aggregate of each event or command is chosen"),
  zipfExponent: z.number().positive().optional().describe("exponent s of the Zipf distribution (P(rank k) ∝ 1/k^s); default 1"),
  eventsPerCommand: z
    .object({ min: positiveInt, max: positiveInt })
    .strict()
    .optional()
    .describe("event-store: events one command appends to its aggregate, chosen uniformly in [min, max]; default 1..1"),
  staleness: z.number().min(0).max(1).optional().describe("event-store: fraction of commands sent with a version one behind the one the producer knows (each a conflict)"),
  rehydrate: z
    .object({
      every: duration.optional().describe("one rehydration per this interval"),
      rate: z.number().positive().optional().describe("rehydrations per second (instead of every)"),
      snapshotEvery: z.number().int().nonnegative().default(0).describe("keep a snapshot every this many events of an aggregate; 0 = none"),
    })
    .strict()
    .optional()
    .describe("event-store: read whole aggregates back (readAggregate) and fold them"),
  readModel: z.enum(["in-process-map", "redis-hash"]).optional().describe("cqrs: where the projector keeps the read model; default in-process-map"),
  queryRate: z.number().nonnegative().optional().describe("cqrs: read-model queries per second; default 100"),
  backlog: positiveInt.optional().describe("backlog-drain: events produced with the consumers stopped (at the scenario's rate); replaces duration"),
  steps: z
    .object({
      factor: z.number().gt(1).optional().describe("each step's rate is the previous one's times this (default 1.5)"),
      increment: z.number().positive().optional().describe("each step's rate is the previous one's plus this many events/s (instead of factor)"),
      stepDuration: duration.default("10s").describe("how long each rate is held"),
      maxSteps: positiveInt.default(10).describe("steps at most, the first at the scenario's rate"),
    })
    .strict()
    .optional()
    .describe("max-throughput: how the rate steps up from the scenario's rate"),
  limits: z
    .object({
      publishP99Ms: z.number().positive().optional().describe("a step breaks when its publish p99 (median of its seconds) is above this"),
      e2eP99Ms: z.number().positive().optional().describe("…or its end-to-end p99 is above this"),
      minAchieved: z.number().positive().max(1).default(0.95).describe("…or it acknowledged less than this share of its target rate"),
      maxLagGrowth: z.number().min(0).default(0.1).describe("…or consumer lag grew by more than this share of the step's events"),
      maxErrorRate: z.number().min(0).max(1).default(0.01).describe("…or more than this share of its appends failed"),
    })
    .strict()
    .optional()
    .describe("max-throughput: what makes a step unsustainable"),
  claims: z
    .array(
      z
        .object({
          id: z.string().min(1).describe('e.g. "K1" in SEED-CLAIMS'),
          adapters: z.array(z.string()).min(1).describe("the systems the claim is about; other adapters' entries do not carry it"),
          claim: z.string().describe("the published figure as stated"),
          source: z.string(),
          measure: z
            .string()
            .describe('what is put beside it: a workload figure ("figure:highest sustainable rate"), a result metric ("latency.endToEnd.p99", "throughput.acked", "delivery.outOfOrder%"), or "none: why"'),
          scaling: z.string().describe("how this machine differs, and what that means for the comparison"),
        })
        .strict(),
    )
    .optional()
    .describe("published claims this scenario puts to the test; the report shows each beside the measurement"),
  payloadSize: z.number().int().min(24).default(256).describe("bytes per event, including eventbench's 24-byte header"),
  partitions: positiveInt.default(4).describe("partitions or shards where the system has them"),
  batchSize: positiveInt.default(1).describe("events per append call (explicit batching; 1 = none)"),
  lingerMs: z.number().nonnegative().default(0).describe("how long a partial batch may wait for more events"),
  consumerBatch: positiveInt.default(100).describe("largest batch a consumer receives"),
  claimIdleAfter: duration.default("5s").describe("events a dead member held longer than this are taken over"),
  drainTimeout: duration.default("30s").describe("how long consumers may take to catch up after producing stops"),
  faults: z.array(fault).optional().describe("faults injected at given times; each is on the timeline and gets its own recovery figures"),
  thresholds: thresholdsSchema.optional(),
  targetHeld: targetHeldSchema.optional().describe("overrides the file's targetHeld for this scenario"),
  rateScale: rateScaleSchema.optional().describe("overrides the file's rateScale for this scenario, adapter by adapter"),
};

// k6's meaning, kept: maxVUs defaults to preAllocatedVUs, and neither may be below the other.
const preAllocatedVUs = positiveInt.optional().describe("k6: VUs allocated up front; here, when maxVUs is absent, the cap on append calls in flight (as k6's maxVUs defaults to it)");
const maxVUs = positiveInt
  .optional()
  .describe("append calls in flight at most; later events wait and their wait counts (default: preAllocatedVUs, else 1024)");

const constantArrivalRate = z
  .object({
    executor: z.literal("constant-arrival-rate"),
    rate: z.number().positive().describe("events per timeUnit"),
    timeUnit: duration.default("1s"),
    preAllocatedVUs: preAllocatedVUs,
    maxVUs: maxVUs,
    ...common,
  })
  .strict();

const rampingArrivalRate = z
  .object({
    executor: z.literal("ramping-arrival-rate"),
    startRate: z.number().nonnegative().default(0),
    timeUnit: duration.default("1s"),
    stages: z.array(stage).min(1),
    preAllocatedVUs: preAllocatedVUs,
    maxVUs: maxVUs,
    ...common,
  })
  .strict();

const constantVus = z
  .object({
    executor: z.literal("constant-vus").describe("closed loop: each VU waits for its acknowledgement"),
    vus: positiveInt.default(1).describe("concurrent append loops (k6's default 1)"),
    ...common,
  })
  .strict();

/** The fields every executor takes: what a TypeScript scenario writes beside k6's own scenario fields. */
export const commonFieldsSchema = z.object(common);

export const workloadScenarioSchema = z.discriminatedUnion("executor", [constantArrivalRate, rampingArrivalRate, constantVus]);

/** Text printed to the terminal: a control character (ESC…) would act on it instead of showing. */
const printableText = (allowNewlines: boolean) =>
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  z.string().regex(allowNewlines ? /^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$/ : /^[^\x00-\x1f\x7f-\x9f]*$/, "no control characters (escape codes would act on the terminal)");

export const scenarioFileSchema = z
  .object({
    $schema: z.string().optional(),
    name: printableText(false).min(1).optional(),
    description: printableText(true).optional(),
    notes: z.array(printableText(true)).optional().describe("how this file was derived (e.g. from an OpenMessaging Benchmark workload); copied into result.json"),
    env: z.enum(["auto", "docker", "native", "external"]).optional(),
    adapters: z.array(z.string().min(1)).min(1).optional().describe("adapters to run; default: every adapter the environment can start"),
    adapterSettings: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    services: servicesSchema
      .optional()
      .describe("settings of the servers eventbench starts (persistence is part of what is measured)"),
    thresholds: thresholdsSchema.optional(),
    targetHeld: targetHeldSchema
      .optional()
      .describe("open loop: the share of its target rate an entry must acknowledge to have held it (default 0.95), and whether one that did not fails the run (default: it is marked, the run does not fail)"),
    rateScale: rateScaleSchema.optional(),
    regression: z
      .object({
        tolerance: z.number().positive().max(10).default(0.1).describe("relative change of a metric's median beyond which a significant move is a regression (0.1 = 10 %)"),
        alpha: z.number().positive().max(0.5).default(0.01).describe("significance level of the rank-sum test between the two runs' samples"),
        minDeltaMs: z.number().nonnegative().default(1).describe("latency moves smaller than this many ms never count as a regression"),
      })
      .strict()
      .optional()
      .describe("how `eventbench compare` and `report --baseline` judge this scenario against a baseline"),
    scenarios: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, "scenario names use letters, digits, _ . -"), workloadScenarioSchema),
  })
  .strict();

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
export type WorkloadScenario = z.infer<typeof workloadScenarioSchema>;
export type FaultScenario = z.infer<typeof fault>;
