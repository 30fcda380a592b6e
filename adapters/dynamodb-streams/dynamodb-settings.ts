import { parseAdapterSettings, type SettingRules } from "../contract/adapter-settings.js";

/**
 * How appends without an expected version are written:
 * - `conditional`: one conditional write per aggregate (PutItem, or TransactWriteItems for several
 *   events), only if the version is free, one write per aggregate at a time. Safe with any number
 *   of producers: a producer that lost a race re-reads the aggregate's version and tries again.
 * - `batch`: BatchWriteItem, 25 items per request, versions reserved by this producer, no check.
 *   Several times the events per second, but a second producer writing the same aggregates would
 *   overwrite versions (counted as `overwrittenEvents`): one producer per stream.
 */
export type UnversionedWrites = "conditional" | "batch";

export interface DynamoDbSettings {
  /** How long a stream reader waits after an empty GetRecords (DynamoDB Streams has no long poll). */
  readonly pollIntervalMs: number;
  /** HTTP sockets per client; the SDK's default of 50 queues requests beyond it, inside the client. */
  readonly maxSockets: number;
  /** Attempts for a throttled request (ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded). */
  readonly maxAttempts: number;
  readonly unversionedWrites: UnversionedWrites;
}

const DEFAULTS: DynamoDbSettings = { pollIntervalMs: 100, maxSockets: 256, maxAttempts: 8, unversionedWrites: "conditional" };
const RULES: SettingRules<DynamoDbSettings> = {
  pollIntervalMs: { integer: [1, 10_000] },
  maxSockets: { integer: [1, 4_096] },
  maxAttempts: { integer: [1, 20] },
  unversionedWrites: { oneOf: ["conditional", "batch"] },
};

export function parseDynamoDbSettings(adapter: string, raw: Readonly<Record<string, unknown>> = {}): DynamoDbSettings {
  return parseAdapterSettings(adapter, raw, DEFAULTS, RULES);
}
