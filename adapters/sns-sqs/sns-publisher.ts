import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from "@aws-sdk/client-sns";
import { sendBatchWithRetries } from "../aws/batch-with-retries.js";
import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import type { SqsCounters } from "../sqs/sqs-counters.js";
import { bodyOf, KEY_ATTRIBUTE } from "../sqs/sqs-message.js";

/** PublishBatch takes at most 10 entries (the factory's `maxAppendBatch`). */
export const MAX_PUBLISH_BATCH = 10;

/**
 * Appends with one PublishBatch per call to the stream's topic. Each event is a message the
 * subscribed group queues receive as is (raw message delivery): the payload base64 in the body,
 * the aggregate in the `aggregate` message attribute, as the sqs adapter sends them, so the sqs
 * members read them unchanged. Acknowledged = SNS accepted the publish; delivery to the queues
 * is SNS's own second hop, measured by the end-to-end latency.
 */
export class SnsPublisher implements EventProducer {
  constructor(
    private readonly o: {
      readonly client: SNSClient;
      readonly topicArn: string;
      readonly maxAttempts: number;
      readonly counters: SqsCounters;
    },
  ) {}

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    if (events.length > MAX_PUBLISH_BATCH) {
      throw new Error(`sns-sqs: PublishBatch takes at most ${MAX_PUBLISH_BATCH} messages; an append of ${events.length} events was asked (batchSize at most ${MAX_PUBLISH_BATCH})`);
    }
    const appended = await sendBatchWithRetries(
      "sns-sqs: PublishBatch",
      events.map((e, i) => this.entry(e, i)),
      (entries) => this.o.client.send(new PublishBatchCommand({ TopicArn: this.o.topicArn, PublishBatchRequestEntries: entries })),
      { maxAttempts: this.o.maxAttempts, onRetried: (n) => (this.o.counters.sendRetries += n) },
    );
    return { appended, conflicts: [] };
  }

  async close(): Promise<void> {}

  private entry(event: OutgoingEvent, index: number): PublishBatchRequestEntry {
    return { Id: String(index), Message: bodyOf(event.payload), MessageAttributes: { [KEY_ATTRIBUTE]: { DataType: "String", StringValue: event.key } } };
  }
}
