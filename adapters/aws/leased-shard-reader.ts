import { randomUUID } from "node:crypto";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import { LeaseExpiryWatch } from "./lease-expiry.js";
import { ShardAckTracker } from "./shard-ack-tracker.js";
import { SHARD_END, type ShardLease, type ShardLeaseTable } from "./shard-lease-table.js";

/** New shards appear when a stream splits or merges shards (or DynamoDB rolls one over, every few hours). */
const LIST_SHARDS_EVERY_MS = 1_000;
/** As the KCL's failover time: a member that stopped renewing loses its shards after this. */
const DEFAULT_LEASE_EXPIRY_MS = 10_000;
/** Renewals also carry the checkpoint, so they come at least this often. */
const MAX_RENEW_EVERY_MS = 1_000;
const MAX_RECORDS_PER_CALL = 1_000;
/**
 * A new member says it is there, then waits this long (at most its renewal interval) before it
 * leases anything, so members started together see each other and each leases its share at once
 * instead of the first one leasing every shard and handing half of them over a sweep later.
 */
const MAX_JOIN_DELAY_MS = 250;

/** A shard as the stream lists it. */
export interface SourceShard {
  readonly shardId: string;
  /** The shard it was split or merged from: read only once that one's lease says SHARD_END. */
  readonly parentShardId?: string | undefined;
}

/** A record of a shard, as the stream's reader hands it on. */
export interface SourceRecord {
  readonly sequenceNumber: string;
  readonly key: string;
  readonly payload: Uint8Array;
}

/**
 * One GetRecords answer: the records, and the iterator to read on with (undefined: the shard is
 * closed and read to its end). `expired`: the iterator is older than the 5 (Kinesis) or 15
 * (DynamoDB Streams) minutes it lives. `trimmed`: the position is older than the stream keeps.
 */
export type ShardRead = { readonly records: readonly SourceRecord[]; readonly nextIterator: string | undefined } | "expired" | "trimmed";

/** The stream-specific calls a leased reader makes (Kinesis, DynamoDB Streams). */
export interface ShardSource {
  /** Every shard of the stream, open and closed. */
  listShards(): Promise<SourceShard[]>;
  /** An iterator after `afterSequence`, or at the oldest record kept when undefined. */
  iterator(shardId: string, afterSequence: string | undefined): Promise<string | undefined>;
  read(iterator: string, limit: number): Promise<ShardRead>;
}

/** What the reader did that the harness cannot see; part of an adapter's `stats()`. */
export interface ShardReaderCounters {
  /** Shard iterators that expired and were renewed after the last delivered record. */
  expiredIteratorsRenewed: number;
  /** Checkpoints older than the stream's retention: reading resumed at the oldest record kept. */
  trimmedCheckpointsSkipped: number;
  /** Stream calls that failed and were tried again on the next loop. */
  streamReadErrors: number;
  /** Leases taken from a member that stopped renewing them (its unacknowledged events are read again). */
  leasesTakenOver: number;
  /** Leases this adapter's members found taken by another member when they went to renew them. */
  leasesLost: number;
  /** Leases a member gave up, everything read from them acknowledged, because it held more than its share. */
  leasesHandedOver: number;
}

interface OwnedShard {
  readonly shardId: string;
  iterator: string | undefined;
  /** Where this member reads on from: the lease's checkpoint at first, then the last record it delivered. */
  lastDelivered: string | undefined;
  /** Acknowledged without a gap, in memory. */
  checkpoint: string | undefined;
  /** As last written to the lease. */
  persisted: string | undefined;
  readonly acks: ShardAckTracker;
  /** The shard is closed and read to its end. */
  ended: boolean;
  /** Held beyond this member's share: no longer read, released once what was read is acknowledged. */
  handingOff: boolean;
}

export interface LeasedShardReaderWiring {
  readonly source: ShardSource;
  readonly leases: ShardLeaseTable;
  readonly options: ConsumerOptions;
  /** How long to wait after a loop that delivered nothing (neither stream has a long poll). */
  readonly pollIntervalMs: number;
  readonly counters: ShardReaderCounters;
  readonly onEvents: EventHandler;
}

/**
 * A group member reading a sharded AWS stream (Kinesis Data Streams, DynamoDB Streams) the way the
 * Kinesis Client Library does. It lists the shards every second, leases free ones in the lease
 * table — a child only once its parent's lease says SHARD_END — and polls each with GetRecords.
 * Every renewal of its leases carries the checkpoint (the last record acknowledged without a gap);
 * `close` releases the leases with the final one, while `kill` just stops, as a crashed process
 * would, and another member takes the shards over once their counters stand still for
 * `claimIdleAfterMs`, re-reading from the checkpoint. So delivery is at least once:
 * acknowledgements since the last renewal (at most a second) are read again after a takeover.
 *
 * Members share the shards by count, as the KCL's lease taker does: each member bumps a presence
 * counter in the lease table on every sweep, and a member's share is the open shards divided by
 * the members whose counters still move, rounded up. A member below its share leases free or
 * expired shards up to it; one above it stops reading its surplus shards and releases each once
 * everything read from it is acknowledged, with that checkpoint, so the next holder neither
 * repeats nor skips a record (the KCL steals leases instead, which re-reads since the last
 * checkpoint). Children of split shards go to whoever sees them first within its share.
 */
export class LeasedShardReader implements EventConsumer {
  /** Unique across processes: two harness processes may both name a member `member-1`. */
  private readonly owner: string;
  private readonly owned = new Map<string, OwnedShard>();
  private readonly expiry: LeaseExpiryWatch;
  /** The other members' presence counters, watched the way the leases' are. */
  private readonly memberExpiry: LeaseExpiryWatch;
  private readonly renewEveryMs: number;
  private shards: SourceShard[] = [];
  private lastListed = 0;
  private lastSweep = 0;
  private running = true;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly w: LeasedShardReaderWiring) {
    this.owner = `${w.options.member}#${randomUUID().slice(0, 8)}`;
    const expireAfterMs = w.options.claimIdleAfterMs ?? DEFAULT_LEASE_EXPIRY_MS;
    this.expiry = new LeaseExpiryWatch(expireAfterMs);
    this.memberExpiry = new LeaseExpiryWatch(expireAfterMs);
    this.renewEveryMs = Math.min(MAX_RENEW_EVERY_MS, expireAfterMs / 3);
  }

  start(): void {
    this.loop = this.run();
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    for (const e of events) {
      const [shardId, sequence] = e.position.split("|") as [string, string];
      const shard = this.owned.get(shardId);
      const checkpoint = shard?.acks.ack(sequence);
      if (shard && checkpoint) shard.checkpoint = checkpoint;
    }
  }

  async close(): Promise<void> {
    await this.stop();
    const { leases, options } = this.w;
    const finalCheckpoint = (s: OwnedShard) => (s.ended && s.acks.settled ? SHARD_END : s.checkpoint);
    // A lease that cannot be released now expires instead: the next member waits longer, nothing is lost.
    await Promise.all([
      ...[...this.owned.values()].map((s) => leases.release(options.group, s.shardId, this.owner, finalCheckpoint(s)).catch(() => {})),
      // Left behind, the presence item only expires: the others would count this member for claimIdleAfterMs.
      leases.leave(options.group, this.owner).catch(() => {}),
    ]);
    this.owned.clear();
  }

  async kill(): Promise<void> {
    await this.stop();
    this.owned.clear();
  }

  private async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    try {
      await this.w.leases.heartbeat(this.w.options.group, this.owner);
      await new Promise((r) => setTimeout(r, Math.min(MAX_JOIN_DELAY_MS, this.renewEveryMs)));
    } catch {
      this.w.counters.streamReadErrors++;
    }
    while (this.running) {
      let received = 0;
      try {
        if (Date.now() - this.lastListed >= LIST_SHARDS_EVERY_MS) await this.listShards();
        if (Date.now() - this.lastSweep >= this.renewEveryMs) await this.sweepLeases();
        for (const shard of [...this.owned.values()]) if (!shard.ended && !shard.handingOff && this.running) received += await this.poll(shard);
      } catch {
        this.w.counters.streamReadErrors++;
      }
      if (received === 0 && this.running) await new Promise((r) => setTimeout(r, this.w.pollIntervalMs));
    }
  }

  private async listShards(): Promise<void> {
    this.lastListed = Date.now();
    this.shards = await this.w.source.listShards();
  }

  /**
   * Renews what this member holds, hands finished shards and its surplus on, and leases what is
   * free or expired up to its share.
   */
  private async sweepLeases(): Promise<void> {
    this.lastSweep = Date.now();
    const { leases, options } = this.w;
    await Promise.all([...[...this.owned.values()].map((s) => this.renew(s)), leases.heartbeat(options.group, this.owner)]);
    const { leases: current, members } = await leases.listGroup(options.group);
    const share = this.share(current, members);
    const reading = [...this.owned.values()].filter((s) => !s.handingOff);
    for (const surplus of reading.slice(share)) surplus.handingOff = true;
    let held = Math.min(reading.length, share);
    const listed = new Set(this.shards.map((s) => s.shardId));
    for (const { shardId, parentShardId } of this.shards) {
      if (held >= share) break;
      if (this.owned.has(shardId)) continue;
      const lease = current.get(shardId);
      if (lease?.checkpoint === SHARD_END) continue;
      // Parents before children keeps the order of each key's records across a split.
      if (parentShardId && listed.has(parentShardId) && current.get(parentShardId)?.checkpoint !== SHARD_END) continue;
      const taken = await this.acquire(shardId, lease);
      if (taken) {
        this.owned.set(shardId, {
          shardId,
          iterator: undefined,
          lastDelivered: taken.checkpoint,
          checkpoint: taken.checkpoint,
          persisted: taken.checkpoint,
          acks: new ShardAckTracker(),
          ended: false,
          handingOff: false,
        });
        held++;
      }
    }
  }

  /** This member's share: the shards not read to their end over the live members, rounded up. */
  private share(current: ReadonlyMap<string, ShardLease>, members: ReadonlyMap<string, number>): number {
    let live = 1;
    for (const [member, counter] of members) if (member !== this.owner && !this.memberExpiry.expired(member, counter)) live++;
    const open = this.shards.filter((s) => current.get(s.shardId)?.checkpoint !== SHARD_END).length;
    return Math.max(1, Math.ceil(open / live));
  }

  private async acquire(shardId: string, lease: ShardLease | undefined): Promise<ShardLease | undefined> {
    const { leases, options } = this.w;
    if (!lease) return leases.claimNew(options.group, shardId, this.owner);
    if (lease.owner !== undefined && !this.expiry.expired(shardId, lease.counter)) return undefined;
    const taken = await leases.take(options.group, lease, this.owner);
    if (taken && lease.owner !== undefined) this.w.counters.leasesTakenOver++;
    return taken;
  }

  private async renew(shard: OwnedShard): Promise<void> {
    const { leases, options } = this.w;
    if (shard.ended && shard.acks.settled) {
      await leases.release(options.group, shard.shardId, this.owner, SHARD_END);
      this.owned.delete(shard.shardId);
      this.lastListed = 0;
      return;
    }
    if (shard.handingOff && shard.acks.settled) {
      await leases.release(options.group, shard.shardId, this.owner, shard.checkpoint);
      this.owned.delete(shard.shardId);
      this.w.counters.leasesHandedOver++;
      return;
    }
    const changed = shard.checkpoint !== shard.persisted ? shard.checkpoint : undefined;
    if (await leases.renew(options.group, shard.shardId, this.owner, changed)) {
      shard.persisted = shard.checkpoint;
    } else {
      this.owned.delete(shard.shardId);
      this.w.counters.leasesLost++;
    }
  }

  /** Reads once from a shard; returns how many events it delivered. */
  private async poll(shard: OwnedShard): Promise<number> {
    shard.iterator ??= await this.w.source.iterator(shard.shardId, shard.lastDelivered);
    if (!shard.iterator) return this.end(shard);
    const out = await this.w.source.read(shard.iterator, Math.min(MAX_RECORDS_PER_CALL, this.w.options.maxBatch ?? MAX_RECORDS_PER_CALL));
    // An expired iterator: this member still holds what it delivered and has not had
    // acknowledged, so it goes on after its last delivered record, not after the checkpoint (that
    // would deliver those records twice).
    if (out === "expired") {
      this.w.counters.expiredIteratorsRenewed++;
      shard.iterator = undefined;
      return 0;
    }
    // The position is older than the stream's retention: those records are gone.
    if (out === "trimmed") {
      this.w.counters.trimmedCheckpointsSkipped++;
      shard.iterator = undefined;
      shard.lastDelivered = undefined;
      return 0;
    }
    const events: DeliveredEvent[] = [];
    for (const r of out.records) {
      shard.lastDelivered = r.sequenceNumber;
      shard.acks.deliver(r.sequenceNumber);
      events.push({ key: r.key, payload: r.payload, position: `${shard.shardId}|${r.sequenceNumber}` });
    }
    shard.iterator = out.nextIterator;
    if (!shard.iterator) this.end(shard);
    if (events.length > 0 && this.running) this.w.onEvents(events);
    return events.length;
  }

  /** A closed shard read to its end: the next sweep hands it on (SHARD_END) once all is acknowledged. */
  private end(shard: OwnedShard): number {
    shard.ended = true;
    this.lastSweep = 0;
    return 0;
  }
}
