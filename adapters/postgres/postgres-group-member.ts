import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import { CheckpointTracker, type Cursor } from "./checkpoint-tracker.js";
import { PostgresConnection } from "./postgres-connection.js";
import { ensureCheckpoints } from "./postgres-schema.js";
import { groupLockSpace, MEMBERSHIP_LOCK, type StreamObjects } from "./postgres-names.js";

export interface GroupMemberOptions {
  readonly url: string;
  readonly streamName: string;
  readonly objects: StreamObjects;
  readonly partitions: number;
  readonly consumer: ConsumerOptions;
  readonly onEvents: EventHandler;
  /** How long an idle member waits before reading again (with notify: the fallback). */
  readonly pollIntervalMs: number;
  /** Wake up on the appends' NOTIFY instead of waiting out the poll interval. */
  readonly notify: boolean;
}

interface HeldPartition {
  cursor: Cursor;
  readonly tracker: CheckpointTracker;
  /** Handed back once everything delivered from it is acknowledged (another member's fair share). */
  releasing: boolean;
}

/** How often a member counts the group and takes or hands back partitions. */
const BALANCE_EVERY_MS = 100;
/** After a wake-up that found nothing (a commit held back by an older running transaction), retry this soon. */
const HELD_BACK_RETRY_MS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One member of a catch-up subscription. The group's work is split by partition (a hash of the
 * aggregate id, so one aggregate's events stay with one member, in order): a member owns a
 * partition while it holds a session advisory lock on it, and the lock dies with its connection,
 * so a crashed member's partitions are free at once and their unacknowledged events are read
 * again by the next owner from the checkpoint. Each member holds a shared lock that counts it;
 * it takes partitions up to its fair share and hands back those above it.
 */
export class PostgresGroupMember implements EventConsumer {
  private connection!: PostgresConnection;
  private readonly held = new Map<number, HeldPartition>();
  private readonly lockSpace: number;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private notified = false;
  private lastBalance = 0;
  private commits: Promise<void> = Promise.resolve();
  readErrors = 0;
  reconnects = 0;

  private constructor(private readonly options: GroupMemberOptions) {
    this.lockSpace = groupLockSpace(options.streamName, options.consumer.group);
  }

  static async start(options: GroupMemberOptions): Promise<PostgresGroupMember> {
    const member = new PostgresGroupMember(options);
    await member.join();
    member.loop = member.run();
    return member;
  }

  private async join(): Promise<void> {
    this.connection = await PostgresConnection.open(this.options.url);
    const { client } = this.connection;
    await ensureCheckpoints(this.connection, this.options.objects, this.options.partitions, [this.options.consumer.group]);
    await this.connection.query("SELECT pg_advisory_lock_shared($1, $2)", [this.lockSpace, MEMBERSHIP_LOCK]);
    if (this.options.notify) {
      client.on("notification", () => {
        this.notified = true;
        this.wake?.();
      });
      await this.connection.query(`LISTEN ${this.options.objects.channel}`);
    }
    this.held.clear();
    this.lastBalance = 0;
  }

  private async run(): Promise<void> {
    let retryMs = HELD_BACK_RETRY_MS;
    while (!this.stopped) {
      try {
        if (this.connection.broken) {
          this.reconnects++;
          await this.join();
        }
        if (Date.now() - this.lastBalance >= BALANCE_EVERY_MS) await this.balance();
        const wasNotified = this.notified;
        this.notified = false;
        const events = await this.fetch();
        if (this.stopped) return;
        if (events.length > 0) {
          retryMs = HELD_BACK_RETRY_MS;
          this.options.onEvents(events);
          continue;
        }
        // Woken by a commit that an older running transaction still hides: look again soon.
        if (wasNotified && retryMs < this.options.pollIntervalMs) {
          await sleep(retryMs);
          retryMs *= 2;
          continue;
        }
        await this.idle();
      } catch {
        if (this.stopped) return;
        this.readErrors++;
        await sleep(this.options.pollIntervalMs);
      }
    }
  }

  private idle(): Promise<void> {
    if (this.notified) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.wake = done;
    });
  }

  /** Counts the members, hands back what is above the fair share, takes free partitions up to it. */
  private async balance(): Promise<void> {
    this.lastBalance = Date.now();
    const connection = this.connection;
    const { rows } = await connection.query<{ members: string }>(
      `SELECT count(*) AS members FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = $1::oid AND objid = $2::oid
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [String(this.lockSpace >>> 0), String(MEMBERSHIP_LOCK >>> 0)],
    );
    const members = Math.max(1, Number(rows[0]?.members ?? 1));
    const share = Math.ceil(this.options.partitions / members);
    const kept = [...this.held].filter(([, h]) => !h.releasing).map(([p]) => p).sort((a, b) => a - b);
    for (const p of kept.slice(share)) (this.held.get(p) as HeldPartition).releasing = true;
    for (const [p, h] of this.held) {
      if (!h.releasing || h.tracker.outstanding > 0) continue;
      await this.commits;
      await connection.query("SELECT pg_advisory_unlock($1, $2)", [this.lockSpace, p]);
      this.held.delete(p);
    }
    let owned = [...this.held.values()].filter((h) => !h.releasing).length;
    for (let p = 0; p < this.options.partitions && owned < share; p++) {
      if (this.held.has(p)) continue;
      const taken = await connection.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [this.lockSpace, p]);
      if (!taken.rows[0]?.ok) continue;
      const checkpoint = await connection.query<{ tx: string; position: string }>(
        `SELECT tx_id::text AS tx, position::text AS position FROM ${this.options.objects.checkpoints} WHERE consumer_group = $1 AND partition = $2`,
        [this.options.consumer.group, p],
      );
      const row = checkpoint.rows[0] ?? { tx: "0", position: "0" };
      this.held.set(p, { cursor: { tx: row.tx, position: row.position }, tracker: new CheckpointTracker(), releasing: false });
      owned++;
    }
  }

  /**
   * The next events of the owned partitions after each one's cursor, of transactions older than
   * the oldest still running: those cannot gain an earlier event any more.
   */
  private async fetch(): Promise<DeliveredEvent[]> {
    const reading = [...this.held].filter(([, h]) => !h.releasing);
    if (reading.length === 0) return [];
    const limit = this.options.consumer.maxBatch ?? 100;
    const { rows } = await this.connection.query<{ partition: number; tx: string; position: string; stream_id: string; payload: Buffer }>(
      `SELECT e.partition, e.tx_id::text AS tx, e.position::text AS position, e.stream_id, e.payload
       FROM unnest($1::int[], $2::text[], $3::bigint[]) AS c(p, tx, pos)
       CROSS JOIN LATERAL (
         SELECT * FROM ${this.options.objects.events} e
         WHERE e.partition = c.p AND (e.tx_id, e.position) > (c.tx::xid8, c.pos)
           AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY e.tx_id, e.position LIMIT $4
       ) e
       ORDER BY e.tx_id, e.position LIMIT $4`,
      [reading.map(([p]) => p), reading.map(([, h]) => h.cursor.tx), reading.map(([, h]) => h.cursor.position), limit],
    );
    const events: DeliveredEvent[] = [];
    for (const row of rows) {
      const held = this.held.get(row.partition);
      if (!held) continue;
      const cursor = { tx: row.tx, position: row.position };
      held.cursor = cursor;
      held.tracker.deliver(cursor);
      events.push({ key: row.stream_id, payload: row.payload, position: `${row.partition}/${row.tx}/${row.position}` });
    }
    return events;
  }

  ack(events: readonly DeliveredEvent[]): Promise<void> {
    const touched = new Set<number>();
    for (const e of events) {
      const [partition, , position] = e.position.split("/");
      const held = this.held.get(Number(partition));
      if (!held || position === undefined) continue; // handed back or lost meanwhile: the next owner reads it again
      held.tracker.ack(position);
      touched.add(Number(partition));
    }
    const connection = this.connection;
    this.commits = this.commits.then(async () => {
      for (const p of touched) {
        const cursor = this.held.get(p)?.tracker.takeCommittable();
        if (!cursor || connection.broken) continue;
        await connection.query(
          `UPDATE ${this.options.objects.checkpoints} SET tx_id = $3::xid8, position = $4, updated_at = now() WHERE consumer_group = $1 AND partition = $2`,
          [this.options.consumer.group, p, cursor.tx, cursor.position],
        );
      }
    }).catch(() => {
      // The connection broke: the next owner re-reads from the last stored checkpoint.
    });
    return this.commits;
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.commits;
    await this.connection.close();
  }

  async kill(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.connection.destroy();
    await this.loop;
  }
}
