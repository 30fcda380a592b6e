import type { Delivery, EventContext, Sender } from "rhea";
// rhea exports a container instance from CommonJS: Node finds no named exports in it, so its values come through the default.
import rhea from "rhea";
import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import { ArtemisConnection, reasonOf } from "./artemis-connection.js";

/** A send the broker neither settles nor refuses within this fails the append (a broker frozen for longer, a lost link). */
const SETTLE_TIMEOUT_MS = 30_000;

const bufferOf = (p: Uint8Array) => Buffer.from(p.buffer, p.byteOffset, p.byteLength);

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/** A sender on `address` whose settlements resolve or reject the deliveries `pending` holds; resolves once the broker grants credit. */
function attachSender(connection: ArtemisConnection, address: string, pending: Map<Delivery, Pending>): Promise<Sender> {
  const sender = connection.connection.open_sender({ target: { address } });
  const settled = (context: EventContext, error?: Error) => {
    const waiting = context.delivery && pending.get(context.delivery);
    if (!waiting || !context.delivery) return;
    pending.delete(context.delivery);
    if (error) waiting.reject(error);
    else waiting.resolve();
  };
  sender.on("accepted", (context) => settled(context));
  sender.on("rejected", (context) => settled(context, new Error(`the Artemis broker rejected a message: ${reasonOf((context.delivery?.remote_state as { error?: { description?: string } } | undefined)?.error)}`)));
  sender.on("released", (context) => settled(context, new Error("the Artemis broker released a message (not stored)")));
  sender.on("modified", (context) => settled(context, new Error("the Artemis broker did not store a message (modified)")));
  connection.onLost(() => {
    for (const waiting of pending.values()) waiting.reject(new Error("the connection to the Artemis broker was lost before it settled the message"));
    pending.clear();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Artemis broker did not attach the sender to ${address} within ${SETTLE_TIMEOUT_MS} ms`)), SETTLE_TIMEOUT_MS);
    sender.once("sendable", () => {
      clearTimeout(timer);
      resolve(sender);
    });
    sender.once("sender_error", (context: EventContext) => {
      clearTimeout(timer);
      reject(new Error(`the Artemis broker refused a sender to ${address}: ${reasonOf(context.sender?.error)}`));
    });
  });
}

/**
 * Sends to the stream's multicast address on a sender link of its own connection: an append
 * resolves once the broker settled every message of it as `accepted` (a durable message: after
 * its journal write was synced), so the publish latency is the settlement's. The aggregate id is
 * the message's `group_id`: the broker's message groups then keep one key on one member of a
 * group, and consumers read the key back from it. `creation_time` lets the broker date its oldest
 * message (the lag's age).
 */
export class ArtemisProducer implements EventProducer {
  private constructor(
    private connection: ArtemisConnection,
    private sender: Sender,
    private readonly pending: Map<Delivery, Pending>,
    private readonly url: string,
    private readonly address: string,
    private readonly durable: boolean,
  ) {}

  static async open(url: string, address: string, durable: boolean): Promise<ArtemisProducer> {
    const connection = await ArtemisConnection.open(url);
    const pending = new Map<Delivery, Pending>();
    return new ArtemisProducer(connection, await attachSender(connection, address, pending), pending, url, address, durable);
  }

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    // A connection the broker dropped (killed, restarted) is replaced on the next append.
    if (this.connection.broken) {
      this.connection = await ArtemisConnection.open(this.url);
      this.sender = await attachSender(this.connection, this.address, this.pending);
    }
    const sender = this.sender;
    const settlements: Promise<void>[] = [];
    for (const event of events) {
      // No credit left: the broker grants more once it has room (amqpCredits on its acceptor).
      if (!sender.sendable()) await this.untilSendable(sender);
      const delivery = sender.send({
        durable: this.durable,
        group_id: event.key,
        creation_time: new Date(),
        body: rhea.message.data_section(bufferOf(event.payload)),
      });
      const settled = new Promise<void>((resolve, reject) => this.pending.set(delivery, { resolve, reject }));
      // Handled by Promise.all below; until then (waiting for credit) a refusal is no unhandled rejection.
      settled.catch(() => {});
      settlements.push(settled);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the Artemis broker did not settle ${events.length} messages within ${SETTLE_TIMEOUT_MS} ms`)), SETTLE_TIMEOUT_MS);
    });
    try {
      await Promise.race([Promise.all(settlements), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return { appended: events.length, conflicts: [] };
  }

  private untilSendable(sender: Sender): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`the Artemis broker granted no credit to send within ${SETTLE_TIMEOUT_MS} ms`)), SETTLE_TIMEOUT_MS);
      const unwatch = this.connection.onLost(() => finish(new Error("the connection to the Artemis broker was lost while waiting for credit")));
      const onSendable = () => finish();
      const finish = (error?: Error) => {
        clearTimeout(timer);
        unwatch();
        sender.removeListener("sendable", onSendable);
        if (error) reject(error);
        else resolve();
      };
      sender.on("sendable", onSendable);
    });
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
