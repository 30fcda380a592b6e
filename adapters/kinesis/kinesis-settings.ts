import { parseAdapterSettings, type SettingRules } from "../contract/adapter-settings.js";

export interface KinesisSettings {
  /**
   * How long a shard reader waits after a loop that read nothing (GetRecords has no long poll).
   * AWS allows 5 GetRecords a second per shard, shared by every group reading it.
   */
  readonly pollIntervalMs: number;
  /** HTTP sockets per client; the SDK's default of 50 queues requests beyond it, inside the client. */
  readonly maxSockets: number;
  /** Attempts for a throttled request, or for the records a PutRecords answer failed (ProvisionedThroughputExceeded). */
  readonly maxAttempts: number;
}

const DEFAULTS: KinesisSettings = { pollIntervalMs: 100, maxSockets: 256, maxAttempts: 8 };
const RULES: SettingRules<KinesisSettings> = {
  pollIntervalMs: { integer: [1, 10_000] },
  maxSockets: { integer: [1, 4_096] },
  maxAttempts: { integer: [1, 20] },
};

export function parseKinesisSettings(adapter: string, raw: Readonly<Record<string, unknown>> = {}): KinesisSettings {
  return parseAdapterSettings(adapter, raw, DEFAULTS, RULES);
}
