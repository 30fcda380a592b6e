import type { Delivery, EventContext, Receiver } from "rhea";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import type { ConsumerCounts } from "../contract/consumer-counts.js";
import { DeliveryBatcher } from "../contract/delivery-batcher.js";
import { retryWithBackoff } from "../contract/retry-with-backoff.js";
import { ArtemisConnection, reasonOf } from "./artemis-connection.js";

export interface ArtemisConsumerOptions {
  readonly url: string;
  /** The group's queue by its fully qualified name (`address::queue`): every member of the group receives from it. */
  readonly source: string;
  readonly consumer: ConsumerOptions;
  readonly onEvents: EventHandler;
  /** Unsettled deliveries the broker may send this member (the receiver's credit window). */
  readonly credit: number;
}

const ATTACH_TIMEOUT_MS = 5_000;

/** AMQP data sections arrive as rhea `Section`s (`content` a Buffer); a plain Buffer or string body is taken as it is. */
function payloadOf(body: unknown): Uint8Array {
  const content = (body as { content?: unknown } | null)?.content ?? body;
  if (content instanceof Uint8Array) return content;
  return Buffer.from(typeof content === "string" ? content : JSON.stringify(content ?? null));
}

/**
 * One member of a consumer group: a receiver on the group's queue, on a connection of its own,
 * settling each delivery as `accepted` when the harness acknowledges it. The broker hands each
 * message to one member, all messages of one group id (aggregate key) to the same member while
 * it lives; what a member held unsettled goes back to the queue when its connection closes, for
 * the others. Deliveries that arrive in one burst are handed over as one batch of at most
 * `maxBatch`. A connection the broker dropped is opened again, with backoff.
 */
export class ArtemisConsumer implements EventConsumer {
  private connection: ArtemisConnection | undefined;
  private receiver: Receiver | undefined;
  /** Bumped on each new connection: an ack for a delivery of an earlier one is dropped (the broker put it back). */
  private generation = 0;
  private readonly unsettled = new Map<string, Delivery>();
  private readonly batcher: DeliveryBatcher;
  private stopped = false;
  private recovering: Promise<void> | undefined;

  private constructor(private readonly options: ArtemisConsumerOptions, private readonly counts: ConsumerCounts) {
    this.batcher = new DeliveryBatcher(options.onEvents, options.consumer.maxBatch ?? 100);
  }

  static async start(options: ArtemisConsumerOptions, counts: ConsumerCounts): Promise<ArtemisConsumer> {
    const member = new ArtemisConsumer(options, counts);
    await member.subscribe();
    return member;
  }

  private async subscribe(): Promise<void> {
    const connection = await ArtemisConnection.open(this.options.url);
    try {
      const generation = ++this.generation;
      this.unsettled.clear();
      const receiver = connection.connection.open_receiver({ source: { address: this.options.source }, autoaccept: false, credit_window: this.options.credit });
      receiver.on("message", (context: EventContext) => this.receive(context, generation));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the Artemis broker did not attach a receiver to ${this.options.source} within ${ATTACH_TIMEOUT_MS} ms`)), ATTACH_TIMEOUT_MS);
        receiver.once("receiver_open", () => {
          clearTimeout(timer);
          resolve();
        });
        receiver.once("receiver_error", () => {
          clearTimeout(timer);
          reject(new Error(`the Artemis broker refused a receiver on ${this.options.source}: ${reasonOf(receiver.error)}`));
        });
      });
      // The queue deleted or the broker closing the link: receive again on a new connection.
      receiver.on("receiver_close", () => {
        if (this.receiver === receiver) this.recover();
      });
      this.connection = connection;
      this.receiver = receiver;
      connection.onLost(() => {
        if (this.connection === connection) this.recover();
      });
    } catch (error) {
      connection.destroy();
      throw error;
    }
  }

  private recover(): void {
    if (this.stopped || this.recovering) return;
    this.recovering = (async () => {
      this.connection?.destroy();
      if (await retryWithBackoff(() => this.subscribe(), () => this.stopped)) this.counts.reconnects++;
    })().finally(() => {
      this.recovering = undefined;
    });
  }

  private receive(context: EventContext, generation: number): void {
    const { message, delivery } = context;
    if (this.stopped || !message || !delivery || generation !== this.generation) return;
    const position = `${generation}:${delivery.id}`;
    this.unsettled.set(position, delivery);
    // The header's delivery_count counts earlier failed deliveries (0 or absent the first time).
    const previous = typeof message.delivery_count === "number" ? message.delivery_count : 0;
    if (previous > 0) this.counts.redelivered++;
    this.batcher.push({ key: String(message.group_id ?? ""), payload: payloadOf(message.body), position, deliveryCount: previous + 1 });
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    if (!this.connection || this.connection.broken) return; // put back by the broker: delivered again
    for (const event of events) {
      const delivery = this.unsettled.get(event.position);
      if (!delivery) continue;
      this.unsettled.delete(event.position);
      delivery.accept();
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.batcher.stop();
    await this.recovering;
    this.receiver = undefined;
    await this.connection?.close();
  }

  async kill(): Promise<void> {
    this.stopped = true;
    this.batcher.stop();
    this.receiver = undefined;
    this.connection?.destroy();
    await this.recovering;
  }
}
