import type { ConsumerMessages, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import { keyOfSubject } from "./nats-names.js";

const DEFAULT_BATCH = 100;
/** A pull request lives this long: a member the server lost track of is forgotten within it. */
const PULL_EXPIRES_MS = 5_000;
const nanos = (ms: number) => Math.round(ms * 1_000_000);

interface MemberWiring {
  /** This member's own connection: `kill` drops it without a word to the server. */
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly stream: string;
  readonly durable: string;
  readonly options: ConsumerOptions;
  readonly onEvents: EventHandler;
}

/**
 * One member of a consumer group: it pulls from the group's durable pull consumer, so the server
 * hands each message to one of the members that pull. Messages it holds unacknowledged come back
 * to another member after the consumer's AckWait, which the member sets from `claimIdleAfterMs`.
 */
export class NatsGroupMember implements EventConsumer {
  private running = true;
  private messages: ConsumerMessages | undefined;
  private buffer: DeliveredEvent[] = [];
  private flushScheduled = false;
  /** The messages handed to the handler and not yet acknowledged, by stream sequence. */
  private readonly held = new Map<string, JsMsg>();
  /** Acks that could not be sent (connection closed or reconnecting): the message comes back. */
  ackErrors = 0;

  private constructor(private readonly w: MemberWiring) {}

  static async start(wiring: MemberWiring): Promise<NatsGroupMember> {
    const member = new NatsGroupMember(wiring);
    await member.applyAckWait();
    const consumer = await jetstream(wiring.nc).consumers.get(wiring.stream, wiring.durable);
    const maxBatch = wiring.options.maxBatch ?? DEFAULT_BATCH;
    member.messages = await consumer.consume({ max_messages: maxBatch * 2, expires: PULL_EXPIRES_MS, callback: (m) => member.receive(m) });
    return member;
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    for (const e of events) {
      const m = this.held.get(e.position);
      if (!m) continue;
      this.held.delete(e.position);
      try {
        m.ack();
      } catch {
        this.ackErrors++;
      }
    }
  }

  async close(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.messages?.close().catch(() => {});
    // Pulled but never handed over: given back now instead of after AckWait.
    for (const e of this.buffer) this.held.get(e.position)?.nak();
    this.buffer = [];
    // Sends the acks and naks still queued, then closes.
    await this.w.nc.drain().catch(() => this.w.nc.close());
  }

  async kill(): Promise<void> {
    this.running = false;
    this.buffer = [];
    // No drain, no acks: what this member held comes back to another member after AckWait.
    await this.w.nc.close().catch(() => {});
  }

  /** The consumer's AckWait is the group's `claimIdleAfterMs`; it is changed only when it differs. */
  private async applyAckWait(): Promise<void> {
    const idle = this.w.options.claimIdleAfterMs;
    if (idle === undefined) return;
    const info = await this.w.jsm.consumers.info(this.w.stream, this.w.durable);
    if (info.config.ack_wait !== nanos(idle)) await this.w.jsm.consumers.update(this.w.stream, this.w.durable, { ack_wait: nanos(idle) });
  }

  private receive(m: JsMsg): void {
    if (!this.running) return;
    const position = String(m.seq);
    this.held.set(position, m);
    this.buffer.push({ key: keyOfSubject(m.subject), payload: m.data, position, deliveryCount: m.info.deliveryCount });
    if (this.buffer.length >= (this.w.options.maxBatch ?? DEFAULT_BATCH)) this.flush();
    else if (!this.flushScheduled) {
      // The messages of one pull arrive in one read: hand them over together.
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.buffer.length === 0 || !this.running) return;
    const batch = this.buffer;
    this.buffer = [];
    this.w.onEvents(batch);
  }
}
