import { ConfigError } from "../../harness/errors/errors.js";

/** Producer and consumer settings that change what a Kafka benchmark measures. */
export interface KafkaSettings {
  /** all (-1): every in-sync replica; 1: the leader; 0: no acknowledgement. */
  readonly acks: -1 | 0 | 1;
  /** Idempotent producer (kafkajs: needs acks=all and one request in flight). */
  readonly idempotent: boolean;
  readonly compression: "none" | "gzip";
  /** Produce requests in flight per broker connection; 0 = unlimited (kafkajs default). */
  readonly maxInFlight: number;
  /** The Java producer's linger.ms (Kafka 4 default 5): how long appends wait to share a request. */
  readonly lingerMs: number;
  /** Bytes after which a request goes out before the linger time is up. */
  readonly batchBytes: number;
  /** Acknowledged offsets are committed this often (ms); commits are per partition, contiguous. */
  readonly commitIntervalMs: number;
  /** How long the broker waits before declaring a silent member dead (≥ the broker's 6000 minimum). */
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Longest a fetch waits for data; 0-wait fetches would spin, long ones add e2e latency. */
  readonly maxWaitMs: number;
}

const EXPECTED: Record<keyof KafkaSettings, string> = {
  acks: '"all", 1 or 0',
  idempotent: "true or false",
  compression: '"none" or "gzip" (kafkajs has no snappy/lz4/zstd without plugins)',
  maxInFlight: "an integer ≥ 0 (0 = unlimited)",
  lingerMs: "an integer from 0 to 1000",
  batchBytes: "an integer from 1024 to 16777216",
  commitIntervalMs: "an integer from 10 to 60000",
  sessionTimeoutMs: "an integer from 6000 to 300000",
  heartbeatIntervalMs: "an integer from 100 to 10000",
  maxWaitMs: "an integer from 1 to 10000",
};

const DEFAULTS: KafkaSettings = {
  acks: -1,
  idempotent: false,
  compression: "none",
  maxInFlight: 0,
  lingerMs: 5,
  batchBytes: 1_048_576,
  commitIntervalMs: 100,
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  maxWaitMs: 100,
};

const intIn = (v: unknown, lo: number, hi: number) => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;

export function parseKafkaSettings(adapter: string, raw: Readonly<Record<string, unknown>> = {}): KafkaSettings {
  const fail = (field: string, value: unknown): never => {
    throw new ConfigError(`adapter settings: ${adapter}.${field}`, `expected ${EXPECTED[field as keyof KafkaSettings] ?? Object.keys(EXPECTED).join(", ")}, got ${JSON.stringify(value)}`);
  };
  for (const key of Object.keys(raw)) {
    if (!(key in EXPECTED)) throw new ConfigError(`adapter settings: ${adapter}.${key}`, `unknown setting; expected ${Object.keys(EXPECTED).join(", ")}`);
  }
  const s: { -readonly [K in keyof KafkaSettings]: KafkaSettings[K] } = { ...DEFAULTS };
  if ("acks" in raw) {
    const a = raw.acks;
    if (a === "all" || a === -1) s.acks = -1 as const;
    else if (a === 1 || a === 0) s.acks = a;
    else fail("acks", a);
  }
  if ("idempotent" in raw) {
    if (typeof raw.idempotent !== "boolean") fail("idempotent", raw.idempotent);
    s.idempotent = raw.idempotent as boolean;
  }
  if ("compression" in raw) {
    if (raw.compression !== "none" && raw.compression !== "gzip") fail("compression", raw.compression);
    s.compression = raw.compression as KafkaSettings["compression"];
  }
  const ints: [keyof KafkaSettings, number, number][] = [
    ["maxInFlight", 0, 1_000_000],
    ["lingerMs", 0, 1_000],
    ["batchBytes", 1_024, 16_777_216],
    ["commitIntervalMs", 10, 60_000],
    ["sessionTimeoutMs", 6_000, 300_000],
    ["heartbeatIntervalMs", 100, 10_000],
    ["maxWaitMs", 1, 10_000],
  ];
  for (const [field, lo, hi] of ints) {
    if (!(field in raw)) continue;
    if (!intIn(raw[field], lo, hi)) fail(field, raw[field]);
    (s as Record<string, unknown>)[field] = raw[field];
  }
  if (s.idempotent && s.acks !== -1) throw new ConfigError(`adapter settings: ${adapter}.idempotent`, 'an idempotent producer needs acks "all"');
  if (s.idempotent && s.maxInFlight !== 1) {
    throw new ConfigError(`adapter settings: ${adapter}.idempotent`, "kafkajs's idempotent producer needs maxInFlight: 1");
  }
  return s;
}

/** acks and idempotence as they are in force, defaults included (recorded beside a fault's losses). */
export function kafkaDurability(adapter: string, raw: Readonly<Record<string, unknown>> = {}): Record<string, string> {
  const s = parseKafkaSettings(adapter, raw);
  return { acks: s.acks === -1 ? "all" : String(s.acks), idempotent: String(s.idempotent) };
}
