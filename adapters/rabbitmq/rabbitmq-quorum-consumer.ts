import type { Channel, ConsumeMessage } from "amqplib";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import type { ConsumerCounts } from "../contract/consumer-counts.js";
import { DeliveryBatcher } from "../contract/delivery-batcher.js";
import { retryWithBackoff } from "../contract/retry-with-backoff.js";
import { AmqpConnection } from "./amqp-connection.js";

export interface QuorumConsumerOptions {
  readonly url: string;
  /** The group's queue: every member of the group consumes from it (competing consumers). */
  readonly queue: string;
  readonly consumer: ConsumerOptions;
  readonly onEvents: EventHandler;
  /** Unacknowledged deliveries the broker lets this member hold (basic.qos per consumer). */
  readonly prefetch: number;
}

/**
 * One member of a consumer group: a consumer with manual acknowledgements on the group's queue,
 * on a connection of its own. The broker hands each message to one member (round robin among
 * those with prefetch room left); what a member holds unacknowledged goes back to the queue when
 * its connection closes, for the others. Deliveries that arrive in one burst are handed over as
 * one batch of at most `maxBatch`. A connection the broker dropped is opened again, with backoff.
 */
export class RabbitmqQuorumConsumer implements EventConsumer {
  private connection: AmqpConnection | undefined;
  private channel: Channel | undefined;
  /** Bumped on each new channel: an ack for a delivery of an earlier channel is dropped (the broker requeued it). */
  private generation = 0;
  private readonly unacked = new Map<string, ConsumeMessage>();
  private readonly batcher: DeliveryBatcher;
  private stopped = false;
  private recovering: Promise<void> | undefined;

  private constructor(private readonly options: QuorumConsumerOptions, private readonly counts: ConsumerCounts) {
    this.batcher = new DeliveryBatcher(options.onEvents, options.consumer.maxBatch ?? 100);
  }

  static async start(options: QuorumConsumerOptions, counts: ConsumerCounts): Promise<RabbitmqQuorumConsumer> {
    const member = new RabbitmqQuorumConsumer(options, counts);
    await member.subscribe();
    return member;
  }

  private async subscribe(): Promise<void> {
    const connection = await AmqpConnection.open(this.options.url);
    try {
      const channel = await connection.model.createChannel();
      channel.on("error", () => {});
      // Not global: the limit is per consumer, which is what a member is.
      await channel.prefetch(this.options.prefetch, false);
      const generation = ++this.generation;
      this.unacked.clear();
      await channel.consume(this.options.queue, (message) => {
        if (message) this.receive(message, generation);
        else if (generation === this.generation) this.recover();
      }, {
        noAck: false,
        consumerTag: `${this.options.consumer.group}/${this.options.consumer.member}/${generation}`,
      });
      this.connection = connection;
      this.channel = channel;
      connection.model.on("close", () => {
        if (this.connection === connection) this.recover();
      });
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  /** The broker closed the connection or cancelled the consumer (queue deleted, node restarted): subscribe again. */
  private recover(): void {
    if (this.stopped || this.recovering) return;
    this.recovering = (async () => {
      this.connection?.destroy();
      if (await retryWithBackoff(() => this.subscribe(), () => this.stopped)) this.counts.reconnects++;
    })().finally(() => {
      this.recovering = undefined;
    });
  }

  private receive(message: ConsumeMessage, generation: number): void {
    if (this.stopped) return;
    const position = `${generation}:${message.fields.deliveryTag}`;
    this.unacked.set(position, message);
    // Quorum queues count earlier failed deliveries in x-delivery-count; a redelivered message without it was delivered at least once before.
    const previous = Number(message.properties.headers?.["x-delivery-count"] ?? (message.fields.redelivered ? 1 : 0));
    if (message.fields.redelivered) this.counts.redelivered++;
    this.batcher.push({ key: message.fields.routingKey, payload: message.content, position, deliveryCount: previous + 1 });
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    const channel = this.channel;
    if (!channel || this.connection?.broken) return; // requeued by the broker: delivered again
    for (const event of events) {
      const message = this.unacked.get(event.position);
      if (!message) continue;
      this.unacked.delete(event.position);
      channel.ack(message);
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.batcher.stop();
    await this.recovering;
    if (this.channel && this.connection && !this.connection.broken) {
      const tag = `${this.options.consumer.group}/${this.options.consumer.member}/${this.generation}`;
      await this.channel.cancel(tag).catch(() => {});
    }
    await this.connection?.close();
  }

  async kill(): Promise<void> {
    this.stopped = true;
    this.batcher.stop();
    this.connection?.destroy();
    await this.recovering;
  }
}
