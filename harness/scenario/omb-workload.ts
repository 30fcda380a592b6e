import { z } from "zod";
import { ConfigError } from "../errors/errors.js";

/**
 * OpenMessaging Benchmark workload files, accepted as they are. OMB's fields (its Workload class)
 * map onto eventbench's workloads: a backlog (consumerBacklogSizeGB > 0) onto backlog-drain, no
 * producer rate (producerRate 0: OMB's max-rate search) onto max-throughput, several subscriptions
 * onto fan-out, else publish-consume. What cannot be honoured is said, in the run's output and in
 * result.json's notes, never silently dropped.
 */
const ombWorkloadSchema = z
  .object({
    name: z.string().optional(),
    topics: z.number().int().positive().default(1),
    partitionsPerTopic: z.number().int().positive().default(1),
    keyDistributor: z.enum(["NO_KEY", "KEY_ROUND_ROBIN", "RANDOM_NANO"]).default("NO_KEY"),
    messageSize: z.number().int().positive(),
    useRandomizedPayloads: z.boolean().optional(),
    randomBytesRatio: z.number().optional(),
    randomizedPayloadPoolSize: z.number().optional(),
    payloadFile: z.string().optional(),
    subscriptionsPerTopic: z.number().int().nonnegative().default(1),
    producersPerTopic: z.number().int().positive().default(1),
    consumerPerSubscription: z.number().int().positive().default(1),
    producerRate: z.number().default(0),
    consumerBacklogSizeGB: z.number().nonnegative().default(0),
    backlogDrainRatio: z.number().optional(),
    testDurationMinutes: z.number().positive().default(15),
    warmupDurationMinutes: z.number().nonnegative().default(1),
  })
  .strict();

/** An OMB workload has no `scenarios`, and has OMB's own fields. */
export function looksLikeOmbWorkload(data: object): boolean {
  return !("scenarios" in data) && ("messageSize" in data || "partitionsPerTopic" in data || "producerRate" in data);
}

/** Keys a NO_KEY or round-robin workload is spread over: enough for per-key order checks on every partition. */
const KEYS_FOR_UNKEYED = 1000;
/** A backlog larger than this would take the harness longer to build than any test window. */
const MAX_BACKLOG_EVENTS = 50_000_000;
const MAX_RATE_START = 1000;

export function fromOmbWorkload(data: unknown, source: string): Record<string, unknown> {
  const parsed = ombWorkloadSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(top level)"}: ${i.code === "unrecognized_keys" ? `unknown field(s) ${i.keys.join(", ")}` : i.message}`);
    throw new ConfigError(source, `read as an OpenMessaging Benchmark workload (it has no "scenarios"), but it is not a valid one\n${lines.join("\n")}`);
  }
  const w = parsed.data;
  const notes: string[] = [`read as an OpenMessaging Benchmark workload${w.name ? ` ("${w.name}")` : ""}`];
  const notHonoured = (field: string, why: string) => notes.push(`${field} not honoured: ${why}`);
  if (w.topics > 1) notHonoured("topics", `eventbench drives one stream per scenario; ${w.topics} topics were run as 1 (run several workers and merge them for more)`);
  if (w.payloadFile) notHonoured("payloadFile", "payloads are eventbench's 24-byte measurement header plus padding to messageSize");
  if (w.useRandomizedPayloads || w.randomBytesRatio !== undefined || w.randomizedPayloadPoolSize !== undefined) {
    notHonoured("useRandomizedPayloads/randomBytesRatio/randomizedPayloadPoolSize", "payload bytes are fixed padding (compression ratios differ from OMB's)");
  }
  if (w.backlogDrainRatio !== undefined) notHonoured("backlogDrainRatio", "the backlog is drained to zero");
  if (w.keyDistributor !== "RANDOM_NANO") {
    notes.push(`keyDistributor ${w.keyDistributor} mapped to ${KEYS_FOR_UNKEYED} keys chosen uniformly (per-key order needs keys)`);
  }
  if (w.messageSize < 24) notHonoured("messageSize", `${w.messageSize} bytes is below eventbench's 24-byte header; 24 bytes were sent`);

  const base = {
    executor: "constant-arrival-rate",
    producers: w.producersPerTopic,
    consumerGroups: w.subscriptionsPerTopic,
    consumersPerGroup: w.consumerPerSubscription,
    keys: KEYS_FOR_UNKEYED,
    payloadSize: Math.max(24, w.messageSize),
    partitions: w.partitionsPerTopic,
    maxVUs: 8192,
  };
  const warmup = `${Math.round(w.warmupDurationMinutes * 60)}s`;
  const duration = `${Math.round(w.testDurationMinutes * 60)}s`;
  let scenario: Record<string, unknown>;
  if (w.consumerBacklogSizeGB > 0) {
    const backlog = Math.round((w.consumerBacklogSizeGB * 2 ** 30) / Math.max(24, w.messageSize));
    if (backlog > MAX_BACKLOG_EVENTS) throw new ConfigError(`${source}: consumerBacklogSizeGB`, `${backlog} events of ${w.messageSize} bytes; expected at most ${MAX_BACKLOG_EVENTS}`);
    const rate = w.producerRate > 0 ? w.producerRate : 10_000;
    if (w.producerRate <= 0) notes.push("producerRate 0 with a backlog: the backlog is produced at 10,000 events/s");
    notes.push(`consumerBacklogSizeGB ${w.consumerBacklogSizeGB} → backlog-drain of ${backlog} events; testDurationMinutes and warmupDurationMinutes do not apply (the backlog sets the length)`);
    scenario = { ...base, workload: "backlog-drain", rate, backlog, consumerGroups: Math.max(1, w.subscriptionsPerTopic), drainTimeout: "30m" };
  } else if (w.producerRate <= 0) {
    // The start rate and the steps are the plan's (--rate and --duration move them): its notes and
    // `eventbench plan` say them; this note names only what the mapping chose.
    notes.push(`producerRate ${w.producerRate} (OMB's max-rate search) → max-throughput: the rate steps up ×1.5 every 10 s until p99 or the achieved rate breaks; testDurationMinutes does not apply (--duration bounds the search)`);
    scenario = { ...base, workload: "max-throughput", rate: MAX_RATE_START, warmup, steps: { factor: 1.5, stepDuration: "10s", maxSteps: 20 } };
  } else if (w.subscriptionsPerTopic > 1) {
    scenario = { ...base, workload: "fan-out", rate: w.producerRate, warmup, duration };
  } else {
    scenario = { ...base, workload: "publish-consume", rate: w.producerRate, warmup, duration };
  }
  const name = (w.name ?? "omb").replace(/[^A-Za-z0-9_.-]+/g, "-");
  return { name, description: `OpenMessaging Benchmark workload ${w.name ?? ""}`.trim(), notes, scenarios: { [name]: scenario }, thresholds: { lost: ["count==0"] } };
}
