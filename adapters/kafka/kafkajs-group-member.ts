import type { Consumer, Kafka } from "kafkajs";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import type { KafkaSettings } from "./kafka-settings.js";
import { PartitionCommitTracker } from "./partition-commit-tracker.js";
import { kafkaGroupId } from "./kafka-group-id.js";

const JOIN_TIMEOUT_MS = 60_000;

/** `partition:offset`, the position the harness hands back when it acknowledges. */
const positionOf = (partition: number, offset: string) => `${partition}:${offset}`;
function parsePosition(position: string): [number, number] {
  const i = position.indexOf(":");
  return [Number(position.slice(0, i)), Number(position.slice(i + 1))];
}

/**
 * One member of a Kafka consumer group on kafkajs. Acknowledging commits: every
 * `commitIntervalMs`, each partition's offset moves past the contiguous run of acknowledged events.
 * `kill()` disconnects without committing, so the partitions' next owner re-reads everything
 * this member had not acknowledged. kafkajs sends LeaveGroup on disconnect, so the group rebalances
 * at once; a crashed process would be noticed only after `sessionTimeoutMs`.
 */
export class KafkajsGroupMember implements EventConsumer {
  private readonly consumer: Consumer;
  private readonly tracker = new PartitionCommitTracker();
  private commitTimer: NodeJS.Timeout | undefined;
  private committing = false;
  private alive = true;
  commitErrors = 0;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    private readonly options: ConsumerOptions,
    private readonly settings: KafkaSettings,
    private readonly onEvents: EventHandler,
  ) {
    this.consumer = kafka.consumer({
      groupId: kafkaGroupId(topic, options.group),
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxWaitTimeInMs: settings.maxWaitMs,
      allowAutoTopicCreation: false,
    });
  }

  /** Resolves once this member has joined the group and holds its assignment. */
  async start(): Promise<void> {
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`member ${this.options.member} did not join group ${this.options.group} within ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS);
      this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
        const owned = new Set<number>(event.payload.memberAssignment[this.topic] ?? []);
        this.tracker.retain(owned);
        clearTimeout(timer);
        resolve();
      });
      this.consumer.on(this.consumer.events.CRASH, (event) => {
        if (!event.payload.restart) {
          clearTimeout(timer);
          reject(event.payload.error);
        }
      });
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      // The fetch position moves on as batches are handed over; the committed offset does not.
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        if (!this.alive) return;
        const events: DeliveredEvent[] = [];
        for (const m of batch.messages) {
          this.tracker.delivered(batch.partition, Number(m.offset));
          events.push({ key: m.key?.toString() ?? "", payload: m.value ?? Buffer.alloc(0), position: positionOf(batch.partition, m.offset) });
        }
        if (events.length) this.onEvents(events);
      },
    });
    await joined;
    this.commitTimer = setInterval(() => void this.commit(), this.settings.commitIntervalMs);
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    for (const e of events) {
      const [partition, offset] = parsePosition(e.position);
      this.tracker.acked(partition, offset);
    }
  }

  async close(): Promise<void> {
    this.stopCommitting();
    this.alive = false;
    await this.commit(true);
    await this.consumer.disconnect();
  }

  async kill(): Promise<void> {
    this.stopCommitting();
    this.alive = false;
    await this.consumer.disconnect();
  }

  private stopCommitting(): void {
    if (this.commitTimer) clearInterval(this.commitTimer);
    this.commitTimer = undefined;
  }

  private async commit(final = false): Promise<void> {
    if (this.committing && !final) return;
    const pending = this.tracker.pending();
    if (pending.length === 0) return;
    this.committing = true;
    try {
      await this.consumer.commitOffsets(pending.map((p) => ({ topic: this.topic, partition: p.partition, offset: String(p.offset) })));
      for (const p of pending) this.tracker.markCommitted(p.partition, p.offset);
    } catch {
      // A rebalance moved the partition away: its new owner re-reads from the last commit.
      this.commitErrors++;
    } finally {
      this.committing = false;
    }
  }
}
