import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import type { SqsCounters } from "./sqs-counters.js";
import { KEY_ATTRIBUTE, payloadOf } from "./sqs-message.js";

/** ReceiveMessage and DeleteMessageBatch take at most 10 messages a call. */
const MAX_MESSAGES = 10;
/** The scenario's default claimIdleAfter, for a member given none (the contract suite's). */
export const DEFAULT_VISIBILITY_S = 5;
const RETRY_AFTER_ERROR_MS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The visibility timeout that redelivers what a dead member held after `claimIdleAfterMs` (whole seconds, at least 1). */
export function visibilityTimeoutS(claimIdleAfterMs: number | undefined): number {
  return claimIdleAfterMs === undefined ? DEFAULT_VISIBILITY_S : Math.max(1, Math.ceil(claimIdleAfterMs / 1000));
}

/**
 * One member of a group: `receivers` long-poll loops on the group's queue, competing with the
 * other members for its messages. A received message is invisible to everyone for the visibility
 * timeout (the member's `claimIdleAfterMs`); acknowledging deletes it (DeleteMessageBatch), and
 * one not deleted in time, such as a killed member's, is received again by whoever polls next.
 */
export class SqsGroupMember implements EventConsumer {
  private stopping = false;
  private killed = false;
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly acks = new Set<Promise<void>>();
  /** Receipt handle of each message delivered and not yet acknowledged, by message id (the event's position). */
  private readonly receipts = new Map<string, string>();
  private readonly visibilityS: number;

  constructor(
    private readonly o: {
      readonly client: SQSClient;
      readonly queueUrl: string;
      readonly options: ConsumerOptions;
      readonly receivers: number;
      readonly waitTimeSeconds: number;
      readonly counters: SqsCounters;
      readonly onEvents: EventHandler;
    },
  ) {
    this.visibilityS = visibilityTimeoutS(o.options.claimIdleAfterMs);
  }

  start(): void {
    this.loops = Array.from({ length: this.o.receivers }, () => this.receiveLoop());
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    if (this.killed) return;
    const handles: string[] = [];
    for (const e of events) {
      const handle = this.receipts.get(e.position);
      if (handle === undefined) continue;
      this.receipts.delete(e.position);
      handles.push(handle);
    }
    const deleting = this.deleteAll(handles);
    this.acks.add(deleting);
    try {
      await deleting;
    } finally {
      this.acks.delete(deleting);
    }
  }

  /** Stops receiving, waits for the long polls under way (at most waitTimeSeconds) and for acknowledgements sent. */
  async close(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
    await Promise.allSettled([...this.acks]);
  }

  /** Stops at once: polls aborted, nothing deleted or given back; what it held returns after the visibility timeout. */
  async kill(): Promise<void> {
    this.stopping = true;
    this.killed = true;
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  private async receiveLoop(): Promise<void> {
    while (!this.stopping) {
      let messages: Message[];
      try {
        const answer = await this.o.client.send(
          new ReceiveMessageCommand({
            QueueUrl: this.o.queueUrl,
            MaxNumberOfMessages: Math.min(MAX_MESSAGES, this.o.options.maxBatch ?? MAX_MESSAGES),
            WaitTimeSeconds: this.o.waitTimeSeconds,
            VisibilityTimeout: this.visibilityS,
            MessageAttributeNames: [KEY_ATTRIBUTE],
            MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          }),
          { abortSignal: this.abort.signal },
        );
        messages = answer.Messages ?? [];
      } catch {
        if (this.stopping) return;
        this.o.counters.receiveErrors++;
        await sleep(RETRY_AFTER_ERROR_MS);
        continue;
      }
      if (messages.length === 0) {
        this.o.counters.emptyReceives++;
        continue;
      }
      if (this.stopping) {
        // Received while closing: given back at once rather than hidden for the visibility timeout.
        if (!this.killed) await this.release(messages).catch(() => {});
        return;
      }
      this.o.onEvents(messages.map((m) => this.delivered(m)));
    }
  }

  private delivered(m: Message): DeliveredEvent {
    const position = m.MessageId ?? "";
    if (m.ReceiptHandle) this.receipts.set(position, m.ReceiptHandle);
    const count = Number(m.Attributes?.ApproximateReceiveCount);
    return {
      key: m.MessageAttributes?.[KEY_ATTRIBUTE]?.StringValue ?? "",
      payload: payloadOf(m.Body),
      position,
      ...(Number.isFinite(count) ? { deliveryCount: count } : {}),
    };
  }

  private async deleteAll(handles: readonly string[]): Promise<void> {
    for (let i = 0; i < handles.length; i += MAX_MESSAGES) {
      const entries = handles.slice(i, i + MAX_MESSAGES).map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle }));
      const answer = await this.o.client.send(new DeleteMessageBatchCommand({ QueueUrl: this.o.queueUrl, Entries: entries }));
      this.o.counters.ackFailures += answer.Failed?.length ?? 0;
    }
  }

  private async release(messages: readonly Message[]): Promise<void> {
    const entries = messages.flatMap((m, n) => (m.ReceiptHandle ? [{ Id: String(n), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }] : []));
    if (entries.length > 0) await this.o.client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: this.o.queueUrl, Entries: entries }));
  }
}
