import { AS_BUFFERS, closeRedis, type RedisConnection } from "./redis-connection.js";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import { parseAutoClaim, parseReadGroup, type StreamEntry } from "./stream-replies.js";

interface ConsumerWiring {
  /** Dedicated to the blocking XREADGROUP, which would stall anything queued behind it. */
  readonly reader: RedisConnection;
  /** XACK and XAUTOCLAIM. */
  readonly commands: RedisConnection;
  readonly stream: string;
  readonly options: ConsumerOptions;
  readonly blockMs: number;
  readonly onEvents: EventHandler;
}

const DEFAULT_BATCH = 100;
const RETRY_AFTER_ERROR_MS = 100;

const toDelivered = (e: StreamEntry, deliveryCount?: number): DeliveredEvent => ({
  key: e.key,
  payload: e.payload,
  position: e.id,
  ...(deliveryCount !== undefined ? { deliveryCount } : {}),
});

/** One member of a Redis consumer group: XREADGROUP loop, XACK, and XAUTOCLAIM of dead members' entries. */
export class RedisStreamConsumer implements EventConsumer {
  private running = true;
  private readLoop: Promise<void> = Promise.resolve();
  private claimTimer: NodeJS.Timeout | undefined;
  private claiming = false;
  /** Errors from reads and claims (a server stalled or restarting); surfaced through the harness. */
  errors = 0;
  /** Times this member found its group gone (server restarted empty) and created it again. */
  groupsRecreated = 0;

  private constructor(private readonly w: ConsumerWiring) {}

  static start(wiring: ConsumerWiring): RedisStreamConsumer {
    const consumer = new RedisStreamConsumer(wiring);
    consumer.readLoop = consumer.read();
    const idle = wiring.options.claimIdleAfterMs;
    if (idle !== undefined) {
      consumer.claimTimer = setInterval(() => void consumer.claim(idle), Math.max(50, idle / 2));
    }
    return consumer;
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.w.commands.sendCommand(["XACK", this.w.stream, this.w.options.group, ...events.map((e) => e.position)]);
  }

  async close(): Promise<void> {
    this.stop();
    // A read waits in node-redis's offline queue while the server is gone: give the blocking read
    // its block time, then drop the connection, which rejects it.
    const readEnded = await Promise.race([this.readLoop.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), this.w.blockMs + 1_000).unref())]);
    if (!readEnded) {
      this.w.reader.destroy();
      this.w.commands.destroy();
      await this.readLoop;
      return;
    }
    await Promise.race([this.leaveGroupIfIdle(), new Promise((r) => setTimeout(r, 1_000).unref())]).catch(() => {});
    await Promise.all([closeRedis(this.w.reader), closeRedis(this.w.commands)]);
  }

  async kill(): Promise<void> {
    this.stop();
    this.w.reader.destroy();
    this.w.commands.destroy();
  }

  private stop(): void {
    this.running = false;
    if (this.claimTimer) clearInterval(this.claimTimer);
  }

  private async read(): Promise<void> {
    const { group, member, maxBatch = DEFAULT_BATCH } = this.w.options;
    while (this.running) {
      let reply: unknown;
      try {
        reply = await this.w.reader.sendCommand(
          ["XREADGROUP", "GROUP", group, member, "COUNT", String(maxBatch), "BLOCK", String(this.w.blockMs), "STREAMS", this.w.stream, ">"],
          AS_BUFFERS,
        );
      } catch (error) {
        if (!this.running) return;
        this.errors++;
        // A server restarted without persistence has lost the group with the stream: an
        // application would create it again and read what arrives from then on.
        if (String((error as Error).message).startsWith("NOGROUP")) await this.recreateGroup();
        await new Promise((r) => setTimeout(r, RETRY_AFTER_ERROR_MS));
        continue;
      }
      const entries = parseReadGroup(reply);
      // Entries read after a kill stay in this member's pending list, as with a real crash.
      if (entries.length > 0 && this.running) this.w.onEvents(entries.map((e) => toDelivered(e, 1)));
    }
  }

  private async recreateGroup(): Promise<void> {
    try {
      await this.w.commands.sendCommand(["XGROUP", "CREATE", this.w.stream, this.w.options.group, "0", "MKSTREAM"]);
      this.groupsRecreated++;
    } catch {
      // BUSYGROUP: another member was first
    }
  }

  private async claim(minIdleMs: number): Promise<void> {
    if (this.claiming || !this.running) return;
    this.claiming = true;
    const { group, member, maxBatch = DEFAULT_BATCH } = this.w.options;
    try {
      let cursor = "0-0";
      do {
        const reply = await this.w.commands.sendCommand(["XAUTOCLAIM", this.w.stream, group, member, String(minIdleMs), cursor, "COUNT", String(maxBatch)], AS_BUFFERS);
        const claimed = parseAutoClaim(reply);
        cursor = claimed.cursor;
        // XAUTOCLAIM does not say how often an entry was delivered: leave deliveryCount unknown.
        if (claimed.entries.length > 0 && this.running) this.w.onEvents(claimed.entries.map((e) => toDelivered(e)));
      } while (cursor !== "0-0" && this.running);
    } catch {
      this.errors++;
    } finally {
      this.claiming = false;
    }
  }

  /** A member that leaves with nothing pending is removed, so XINFO shows only live members. */
  private async leaveGroupIfIdle(): Promise<void> {
    const { group, member } = this.w.options;
    const mine = (await this.w.commands.sendCommand(["XPENDING", this.w.stream, group, "-", "+", "1", member])) as unknown[];
    if (mine.length === 0) await this.w.commands.sendCommand(["XGROUP", "DELCONSUMER", this.w.stream, group, member]);
  }
}
