import { randomUUID } from "node:crypto";
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from "@aws-sdk/client-sqs";
import { sendBatchWithRetries } from "../aws/batch-with-retries.js";
import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import type { SqsCounters } from "./sqs-counters.js";
import { bodyOf, KEY_ATTRIBUTE } from "./sqs-message.js";

/** SendMessageBatch takes at most 10 entries (the factory's `maxAppendBatch`). */
export const MAX_SEND_BATCH = 10;

/**
 * Appends with one SendMessageBatch per call. On a FIFO queue the aggregate is the message group
 * (ordered among competing consumers) and every event gets its own deduplication id, so a batch
 * the SDK resends after a lost answer is stored once. Entries the server failed are sent again
 * (counted) up to `maxAttempts`; an entry refused as the sender's fault is an error.
 */
export class SqsProducer implements EventProducer {
  /** Deduplication ids are this producer's id and a count: unique across producers and threads. */
  private readonly id = randomUUID();
  private sent = 0;

  constructor(
    private readonly o: {
      readonly client: SQSClient;
      readonly queueUrl: string;
      readonly fifo: boolean;
      readonly maxAttempts: number;
      readonly counters: SqsCounters;
    },
  ) {}

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    if (events.length > MAX_SEND_BATCH) {
      throw new Error(`sqs: SendMessageBatch takes at most ${MAX_SEND_BATCH} messages; an append of ${events.length} events was asked (batchSize at most ${MAX_SEND_BATCH})`);
    }
    const appended = await sendBatchWithRetries(
      "sqs: SendMessageBatch",
      events.map((e, i) => this.entry(e, i)),
      (entries) => this.o.client.send(new SendMessageBatchCommand({ QueueUrl: this.o.queueUrl, Entries: entries })),
      { maxAttempts: this.o.maxAttempts, onRetried: (n) => (this.o.counters.sendRetries += n) },
    );
    return { appended, conflicts: [] };
  }

  async close(): Promise<void> {}

  private entry(event: OutgoingEvent, index: number): SendMessageBatchRequestEntry {
    return {
      Id: String(index),
      MessageBody: bodyOf(event.payload),
      MessageAttributes: { [KEY_ATTRIBUTE]: { DataType: "String", StringValue: event.key } },
      ...(this.o.fifo ? { MessageGroupId: event.key, MessageDeduplicationId: `${this.id}-${++this.sent}` } : {}),
    };
  }
}
