import { once } from "node:events";
import type { ConfirmChannel } from "amqplib";
import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import { AmqpConnection } from "./amqp-connection.js";

const bufferOf = (p: Uint8Array) => Buffer.from(p.buffer, p.byteOffset, p.byteLength);

/**
 * Publishes to the stream's exchange on a confirm channel of its own connection: an append
 * resolves once the broker confirmed every event of it (for a quorum queue: written to the Raft
 * log of each queue it was routed to), so the publish latency is the confirm's. The aggregate id
 * travels as the routing key (the fan-out exchange ignores it; consumers read it back).
 */
export class RabbitmqQuorumProducer implements EventProducer {
  private constructor(
    private connection: AmqpConnection,
    private channel: ConfirmChannel,
    private readonly url: string,
    private readonly exchange: string,
  ) {}

  static async open(url: string, exchange: string): Promise<RabbitmqQuorumProducer> {
    const connection = await AmqpConnection.open(url);
    return new RabbitmqQuorumProducer(connection, await RabbitmqQuorumProducer.channelOf(connection), url, exchange);
  }

  private static async channelOf(connection: AmqpConnection): Promise<ConfirmChannel> {
    const channel = await connection.model.createConfirmChannel();
    // A channel error (the exchange deleted under us) closes it; the next append opens a new one.
    channel.on("error", () => {});
    return channel;
  }

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    // A connection the broker dropped (killed, restarted) is replaced on the next append.
    if (this.connection.broken) {
      this.connection = await AmqpConnection.open(this.url);
      this.channel = await RabbitmqQuorumProducer.channelOf(this.connection);
    }
    const channel = this.channel;
    const confirms: Promise<void>[] = [];
    for (const event of events) {
      let writable = true;
      const confirmed = new Promise<void>((resolve, reject) => {
        writable = channel.publish(this.exchange, event.key, bufferOf(event.payload), { persistent: true }, (error: unknown) => {
          if (error) reject(error instanceof Error ? error : new Error(`the broker did not confirm the publish (${String(error)})`));
          else resolve();
        });
      });
      // Handled by Promise.all below; until then a nack must not count as an unhandled rejection.
      confirmed.catch(() => {});
      confirms.push(confirmed);
      // The socket's buffer is full: wait until it drains (or the channel closes) before the next publish.
      if (!writable) await Promise.race([once(channel, "drain"), once(channel, "close")]);
    }
    await Promise.all(confirms);
    return { appended: events.length, conflicts: [] };
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => {});
    await this.connection.close();
  }
}
