import { randomUUID } from "node:crypto";
import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type GetRecordsCommandOutput,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import type { ConsumerOptions, DeliveredEvent, EventConsumer, EventHandler } from "../contract/adapter.js";
import type { AdapterCounters } from "./adapter-counters.js";
import { EVENT_ATTR } from "./event-item.js";
import { LeaseExpiryWatch } from "./lease-expiry.js";
import { ShardAckTracker } from "./shard-ack-tracker.js";
import { SHARD_END, type ShardLease, type ShardLeaseTable } from "./shard-lease-table.js";
import { listShards } from "./stream-shards.js";
import { withThrottleRetries } from "./throttle-retry.js";

/** New shards appear when DynamoDB splits a partition or rolls a shard over (every few hours). */
const DESCRIBE_EVERY_MS = 1_000;
/** As the KCL's failover time: a member that stopped renewing loses its shards after this. */
const DEFAULT_LEASE_EXPIRY_MS = 10_000;
/** Renewals also carry the checkpoint, so they come at least this often. */
const MAX_RENEW_EVERY_MS = 1_000;
const MAX_RECORDS_PER_CALL = 1_000;

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
  /** GetRecords returned no next iterator: the shard is closed and read to its end. */
  ended: boolean;
}

export interface StreamMemberWiring {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly leases: ShardLeaseTable;
  readonly options: ConsumerOptions;
  readonly pollIntervalMs: number;
  readonly maxAttempts: number;
  readonly counters: AdapterCounters;
  readonly onEvents: EventHandler;
}

/**
 * A group member reading DynamoDB Streams. It lists the shards (DescribeStream, paged, every
 * second), leases free ones in the lease table — a child only once its parent's lease says
 * SHARD_END — and polls each with GetRecords. Every renewal of its leases carries the checkpoint
 * (the last record acknowledged without a gap); `close` releases the leases with the final one,
 * while `kill` just stops, as a crashed process would, and another member takes the shards over
 * once their counters stand still for `claimIdleAfterMs`, re-reading from the checkpoint.
 * So delivery is at least once: acknowledgements since the last renewal (at most a second) are
 * read again after a takeover.
 *
 * Members do not rebalance: the first to find a shard free leases it, later ones stand by for
 * leases that expire or are released, and children of split shards go to whoever sees them first.
 */
export class StreamGroupMember implements EventConsumer {
  /** Unique across processes: two harness processes may both name a member `member-1`. */
  private readonly owner: string;
  private readonly owned = new Map<string, OwnedShard>();
  private readonly expiry: LeaseExpiryWatch;
  private readonly renewEveryMs: number;
  private shards: Shard[] = [];
  private lastDescribe = 0;
  private lastSweep = 0;
  private running = true;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly w: StreamMemberWiring) {
    this.owner = `${w.options.member}#${randomUUID().slice(0, 8)}`;
    const expireAfterMs = w.options.claimIdleAfterMs ?? DEFAULT_LEASE_EXPIRY_MS;
    this.expiry = new LeaseExpiryWatch(expireAfterMs);
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
    await Promise.all([...this.owned.values()].map((s) => leases.release(options.group, s.shardId, this.owner, finalCheckpoint(s)).catch(() => {})));
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
    while (this.running) {
      let received = 0;
      try {
        if (Date.now() - this.lastDescribe >= DESCRIBE_EVERY_MS) await this.describe();
        if (Date.now() - this.lastSweep >= this.renewEveryMs) await this.sweepLeases();
        for (const shard of [...this.owned.values()]) if (!shard.ended && this.running) received += await this.poll(shard);
      } catch {
        this.w.counters.streamReadErrors++;
      }
      if (received === 0 && this.running) await new Promise((r) => setTimeout(r, this.w.pollIntervalMs));
    }
  }

  private async describe(): Promise<void> {
    this.lastDescribe = Date.now();
    this.shards = await listShards(this.w.streams, this.w.streamArn, this.w.maxAttempts, this.w.counters);
  }

  /** Renews what this member holds, hands finished shards on, and leases what is free or expired. */
  private async sweepLeases(): Promise<void> {
    this.lastSweep = Date.now();
    const { leases, options } = this.w;
    await Promise.all([...this.owned.values()].map((s) => this.renew(s)));
    const current = await leases.list(options.group);
    const listed = new Set(this.shards.map((s) => s.ShardId as string));
    for (const shard of this.shards) {
      const shardId = shard.ShardId as string;
      if (this.owned.has(shardId)) continue;
      const lease = current.get(shardId);
      if (lease?.checkpoint === SHARD_END) continue;
      // Parents before children keeps the order of each item's records across a split.
      const parent = shard.ParentShardId;
      if (parent && listed.has(parent) && current.get(parent)?.checkpoint !== SHARD_END) continue;
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
        });
      }
    }
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
      this.lastDescribe = 0;
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

  private async iteratorFor(shard: OwnedShard): Promise<string | undefined> {
    const out = await withThrottleRetries(
      () =>
        this.w.streams.send(
          new GetShardIteratorCommand({
            StreamArn: this.w.streamArn,
            ShardId: shard.shardId,
            ...(shard.lastDelivered
              ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: shard.lastDelivered }
              : { ShardIteratorType: "TRIM_HORIZON" }),
          }),
        ),
      this.w.maxAttempts,
      this.w.counters,
    );
    return out.ShardIterator;
  }

  /** Reads once from a shard; returns how many events it delivered. */
  private async poll(shard: OwnedShard): Promise<number> {
    shard.iterator ??= await this.iteratorFor(shard);
    if (!shard.iterator) return this.end(shard);
    let out: GetRecordsCommandOutput;
    try {
      out = await withThrottleRetries(
        () => this.w.streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: Math.min(MAX_RECORDS_PER_CALL, this.w.options.maxBatch ?? MAX_RECORDS_PER_CALL) })),
        this.w.maxAttempts,
        this.w.counters,
      );
    } catch (error) {
      // An iterator expires 15 minutes after it was issued. This member still holds what it
      // delivered and has not had acknowledged, so it goes on after its last delivered record,
      // not after the checkpoint (that would deliver those records twice).
      if (error instanceof ExpiredIteratorException) {
        this.w.counters.expiredIteratorsRenewed++;
        shard.iterator = undefined;
        return 0;
      }
      // The position is older than the stream's 24-hour retention: those records are gone.
      if (error instanceof TrimmedDataAccessException) {
        this.w.counters.trimmedCheckpointsSkipped++;
        shard.iterator = undefined;
        shard.lastDelivered = undefined;
        return 0;
      }
      throw error;
    }
    const events: DeliveredEvent[] = [];
    for (const r of out.Records ?? []) {
      const image = r.dynamodb?.NewImage;
      const sequence = r.dynamodb?.SequenceNumber;
      if (!image || !sequence || r.eventName === "REMOVE") continue;
      // A MODIFY is an event written over an existing version: it is delivered, and the one it replaced is lost.
      if (r.eventName === "MODIFY") this.w.counters.overwrittenEvents++;
      shard.lastDelivered = sequence;
      shard.acks.deliver(sequence);
      events.push({
        key: image[EVENT_ATTR.aggregate]?.S ?? "",
        payload: image[EVENT_ATTR.payload]?.B ?? new Uint8Array(),
        position: `${shard.shardId}|${sequence}`,
      });
    }
    shard.iterator = out.NextShardIterator;
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
