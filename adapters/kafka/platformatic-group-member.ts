import type { PlatformaticConnectionOptions } from "./kafka-connection.js";
import { Consumer, type Message, type MessagesStream } from "@platformatic/kafka";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import type { KafkaSettings } from "./kafka-settings.js";
import { PartitionCommitTracker } from "./partition-commit-tracker.js";
import { kafkaGroupId } from "./kafka-group-id.js";

const JOIN_TIMEOUT_MS = 60_000;
/** How long a failed fetch stream waits before it is replaced (again, if consuming failed too). */
const STREAM_RESTART_DELAY_MS = 500;
const positionOf = (partition: number, offset: bigint) => `${partition}:${offset}`;

/**
 * One member of a Kafka consumer group on @platformatic/kafka, with the same semantics as the
 * kafkajs member: commits move past contiguously acknowledged offsets every `commitIntervalMs`;
 * `kill()` closes without committing (the client leaves the group, so it rebalances at once).
 * The client streams messages one by one; those of one event-loop turn go to the harness together.
 */
export class PlatformaticGroupMember implements EventConsumer {
  private readonly consumer: Consumer;
  private stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  private readonly tracker = new PartitionCommitTracker();
  private pending: DeliveredEvent[] = [];
  private flushScheduled = false;
  private commitTimer: NodeJS.Timeout | undefined;
  private committing = false;
  private alive = true;
  private restartTimer: NodeJS.Timeout | undefined;
  commitErrors = 0;

  constructor(
    connection: PlatformaticConnectionOptions,
    private readonly topic: string,
    private readonly options: ConsumerOptions,
    private readonly settings: KafkaSettings,
    private readonly onEvents: EventHandler,
  ) {
    this.consumer = new Consumer({
      clientId: `eventbench-${options.member}`,
      ...connection,
      groupId: kafkaGroupId(topic, options.group),
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxWaitTime: settings.maxWaitMs,
      autocommit: false,
    });
  }

  /** Resolves once this member has joined the group and holds its assignment. */
  async start(): Promise<void> {
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`member ${this.options.member} did not join group ${this.options.group} within ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS);
      this.consumer.on("consumer:group:join", (payload) => {
        const owned = new Set<number>(payload.assignments?.find((a) => a.topic === this.topic)?.partitions ?? []);
        this.tracker.retain(owned);
        clearTimeout(timer);
        resolve();
      });
    });
    await this.consume();
    await joined;
    this.commitTimer = setInterval(() => void this.commit(), this.settings.commitIntervalMs);
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    for (const e of events) {
      const i = e.position.indexOf(":");
      this.tracker.acked(Number(e.position.slice(0, i)), Number(e.position.slice(i + 1)));
    }
  }

  async close(): Promise<void> {
    this.stop();
    await this.commit(true);
    await this.stream?.close().catch(() => undefined);
    await this.consumer.close();
  }

  async kill(): Promise<void> {
    this.stop();
    await this.stream?.close().catch(() => undefined);
    await this.consumer.close(true);
  }

  /**
   * A fetch that fails after the client's retries (3, a second apart: a killed leader is fenced only
   * after broker.session.timeout.ms, 9 s) destroys the client's stream, and nothing is fetched again
   * while the member stays in the group holding its partitions. So a failed stream is replaced:
   * the new one joins again and reads from the committed offsets, as a restarted consumer would.
   */
  private async consume(): Promise<void> {
    const stream = await this.consumer.consume({ topics: [this.topic], mode: "committed", fallbackMode: "earliest", autocommit: false });
    this.stream = stream;
    stream.on("data", (m: Message<Buffer, Buffer, Buffer, Buffer>) => this.receive(m));
    // Kept listening: an 'error' without a listener would throw.
    stream.on("error", () => {
      if (stream === this.stream) this.restartStream();
    });
  }

  private restartStream(): void {
    this.stream = undefined;
    if (!this.alive) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.alive) this.consume().catch(() => this.restartStream());
    }, STREAM_RESTART_DELAY_MS);
  }

  private receive(m: Message<Buffer, Buffer, Buffer, Buffer>): void {
    if (!this.alive) return;
    this.tracker.delivered(m.partition, Number(m.offset));
    this.pending.push({ key: m.key?.toString() ?? "", payload: m.value, position: positionOf(m.partition, m.offset) });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        const events = this.pending;
        this.pending = [];
        if (events.length && this.alive) this.onEvents(events);
      });
    }
  }

  private stop(): void {
    this.alive = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (this.commitTimer) clearInterval(this.commitTimer);
    this.commitTimer = undefined;
  }

  private async commit(final = false): Promise<void> {
    if (this.committing && !final) return;
    const pending = this.tracker.pending();
    if (pending.length === 0) return;
    this.committing = true;
    try {
      // leaderEpoch -1: unknown, which the broker accepts without fencing.
      await this.consumer.commit({ offsets: pending.map((p) => ({ topic: this.topic, partition: p.partition, offset: BigInt(p.offset), leaderEpoch: -1 })) });
      for (const p of pending) this.tracker.markCommitted(p.partition, p.offset);
    } catch {
      this.commitErrors++;
    } finally {
      this.committing = false;
    }
  }
}
