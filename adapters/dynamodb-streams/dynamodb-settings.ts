import { ConfigError } from "../../harness/errors/errors.js";

export interface DynamoDbSettings {
  /** How long a stream reader waits after an empty GetRecords (DynamoDB Streams has no long poll). */
  readonly pollIntervalMs: number;
  /** HTTP sockets per client; the SDK's default of 50 queues requests beyond it, inside the client. */
  readonly maxSockets: number;
  /** Attempts for a throttled request (ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded). */
  readonly maxAttempts: number;
}

const EXPECTED: Record<keyof DynamoDbSettings, string> = {
  pollIntervalMs: "an integer from 1 to 10000",
  maxSockets: "an integer from 1 to 4096",
  maxAttempts: "an integer from 1 to 20",
};
const RANGES: Record<keyof DynamoDbSettings, [number, number]> = { pollIntervalMs: [1, 10_000], maxSockets: [1, 4_096], maxAttempts: [1, 20] };

export function parseDynamoDbSettings(adapter: string, raw: Readonly<Record<string, unknown>> = {}): DynamoDbSettings {
  const s: Record<keyof DynamoDbSettings, number> = { pollIntervalMs: 100, maxSockets: 256, maxAttempts: 8 };
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in EXPECTED)) throw new ConfigError(`adapter settings: ${adapter}.${key}`, `unknown setting; expected ${Object.keys(EXPECTED).join(", ")}`);
    const [lo, hi] = RANGES[key as keyof DynamoDbSettings];
    if (!Number.isInteger(value) || (value as number) < lo || (value as number) > hi) {
      throw new ConfigError(`adapter settings: ${adapter}.${key}`, `expected ${EXPECTED[key as keyof DynamoDbSettings]}, got ${JSON.stringify(value)}`);
    }
    s[key as keyof DynamoDbSettings] = value as number;
  }
  return s;
}
