import { parseAdapterSettings, type SettingRules } from "../contract/adapter-settings.js";

/** `standard`: at-least-once, best-effort order; `fifo`: ordered per message group (= aggregate), deduplicated. */
export type QueueType = "standard" | "fifo";

/** How a member receives from an SQS queue and how its client talks to SQS: the sqs adapter's settings and sns-sqs's. */
export interface SqsReceiveSettings {
  /** ReceiveMessage's long poll (WaitTimeSeconds): how long an empty receive waits for a message. */
  readonly waitTimeSeconds: number;
  /** ReceiveMessage loops per member, each taking up to 10 messages a call. */
  readonly receivers: number;
  /** HTTP sockets per client; the SDK's default of 50 queues requests beyond it, inside the client. */
  readonly maxSockets: number;
  /** Attempts per request, the SDK's retries of throttling and 5xx included (FIFO's deduplication id makes a resent batch safe). */
  readonly maxAttempts: number;
}

export const SQS_RECEIVE_DEFAULTS: SqsReceiveSettings = { waitTimeSeconds: 1, receivers: 2, maxSockets: 256, maxAttempts: 3 };
export const SQS_RECEIVE_RULES: SettingRules<SqsReceiveSettings> = {
  waitTimeSeconds: { integer: [0, 20] },
  receivers: { integer: [1, 16] },
  maxSockets: { integer: [1, 4_096] },
  maxAttempts: { integer: [1, 10] },
};

export interface SqsSettings extends SqsReceiveSettings {
  readonly queueType: QueueType;
  /**
   * Receives after which SQS moves a message to the stream's dead-letter queue (its redrive
   * policy), counted as `deadLettered`; 0: no dead-letter queue, a message comes back for ever.
   */
  readonly maxReceiveCount: number;
}

const DEFAULTS: SqsSettings = { queueType: "standard", ...SQS_RECEIVE_DEFAULTS, maxReceiveCount: 0 };
const RULES: SettingRules<SqsSettings> = {
  queueType: { oneOf: ["standard", "fifo"] },
  ...SQS_RECEIVE_RULES,
  maxReceiveCount: { integer: [0, 1_000] },
};

export function parseSqsSettings(adapter: string, raw: Readonly<Record<string, unknown>> = {}): SqsSettings {
  return parseAdapterSettings(adapter, raw, DEFAULTS, RULES);
}
