/**
 * An in-process log with consumer groups, pending lists and claiming: the reference behaviour the
 * other adapters are compared against, and the harness's own speed ceiling (no I/O at all).
 * Streams live in a module-level registry, so they are shared by every adapter instance of one
 * thread and invisible to other threads.
 */
import type { DeliveredEvent, LagSample } from "../contract/adapter.js";

interface Entry {
  readonly index: number;
  readonly key: string;
  readonly payload: Uint8Array;
  readonly appendedAtMs: number;
}

interface Pending {
  readonly entry: Entry;
  owner: MemoryMember;
  deliveredAtMs: number;
  deliveries: number;
}

export interface MemoryMember {
  readonly name: string;
  readonly maxBatch: number;
  readonly claimIdleAfterMs: number | undefined;
  alive: boolean;
  deliver(events: DeliveredEvent[]): void;
}

class MemoryGroup {
  /** Index of the next entry never delivered to this group. */
  cursor: number;
  readonly pending = new Map<number, Pending>();
  readonly members: MemoryMember[] = [];
  private nextMember = 0;

  constructor(startAt: number) {
    this.cursor = startAt;
  }

  nextLiveMember(): MemoryMember | undefined {
    for (let tried = 0; tried < this.members.length; tried++) {
      const member = this.members[this.nextMember++ % this.members.length];
      if (member?.alive) return member;
    }
    return undefined;
  }
}

const now = () => performance.now();

export class MemoryStream {
  /** Entries not yet acknowledged by every group; `entries[0]` has index `base`. */
  private entries: Entry[] = [];
  private base = 0;
  private readonly groups = new Map<string, MemoryGroup>();
  private dispatchScheduled = false;
  /** Events per aggregate, in version order: the event-store view of the log. */
  private readonly history = new Map<string, Uint8Array[]>();
  private readonly versions = new Map<string, number>();

  /** @param retainHistory keep every payload per aggregate for `readAggregate` (off for ceiling runs) */
  constructor(private readonly retainHistory: boolean) {}

  get end(): number {
    return this.base + this.entries.length;
  }

  createGroup(name: string): void {
    if (!this.groups.has(name)) this.groups.set(name, new MemoryGroup(this.base));
  }

  version(key: string): number {
    return this.versions.get(key) ?? 0;
  }

  append(key: string, payload: Uint8Array): void {
    this.entries.push({ index: this.end, key, payload, appendedAtMs: now() });
    this.versions.set(key, this.version(key) + 1);
    if (this.retainHistory) {
      const events = this.history.get(key);
      if (events) events.push(payload);
      else this.history.set(key, [payload]);
    }
    this.scheduleDispatch();
  }

  /** Every event of one aggregate in version order; undefined when history is not retained. */
  historyOf(key: string): Uint8Array[] | undefined {
    return this.retainHistory ? (this.history.get(key) ?? []) : undefined;
  }

  join(groupName: string, member: MemoryMember): void {
    const group = this.group(groupName);
    group.members.push(member);
    this.scheduleDispatch();
  }

  leave(groupName: string, member: MemoryMember): void {
    const group = this.group(groupName);
    const i = group.members.indexOf(member);
    if (i >= 0) group.members.splice(i, 1);
  }

  ack(groupName: string, indexes: readonly number[]): void {
    const group = this.group(groupName);
    for (const i of indexes) group.pending.delete(i);
    this.trim();
  }

  /** Hands entries idle longer than the claimer's threshold in dead or other members' hands to it. */
  claim(groupName: string, claimer: MemoryMember): void {
    const group = this.group(groupName);
    if (claimer.claimIdleAfterMs === undefined) return;
    const cutoff = now() - claimer.claimIdleAfterMs;
    const claimed: DeliveredEvent[] = [];
    for (const p of group.pending.values()) {
      if (p.owner === claimer || p.deliveredAtMs > cutoff) continue;
      p.owner = claimer;
      p.deliveredAtMs = now();
      p.deliveries++;
      claimed.push(toDelivered(p.entry, p.deliveries));
      if (claimed.length >= claimer.maxBatch) break;
    }
    if (claimed.length > 0) claimer.deliver(claimed);
  }

  lag(groupName: string): LagSample {
    const group = this.group(groupName);
    const undelivered = this.end - group.cursor;
    const events = undelivered + group.pending.size;
    if (events === 0) return { events: 0, oldestAgeMs: 0 };
    let oldest = Number.POSITIVE_INFINITY;
    for (const p of group.pending.values()) oldest = Math.min(oldest, p.entry.appendedAtMs);
    const firstUndelivered = this.entries[group.cursor - this.base];
    if (firstUndelivered) oldest = Math.min(oldest, firstUndelivered.appendedAtMs);
    return { events, oldestAgeMs: Math.max(0, now() - oldest) };
  }

  private group(name: string): MemoryGroup {
    const group = this.groups.get(name);
    if (!group) throw new Error(`consumer group "${name}" does not exist on this stream`);
    return group;
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    // Deliver after the append returns, as a broker would: appends never run consumer code.
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const group of this.groups.values()) {
      while (group.cursor < this.end) {
        const member = group.nextLiveMember();
        if (!member) break;
        const batch: DeliveredEvent[] = [];
        const at = now();
        while (batch.length < member.maxBatch && group.cursor < this.end) {
          const entry = this.entries[group.cursor - this.base] as Entry;
          group.pending.set(entry.index, { entry, owner: member, deliveredAtMs: at, deliveries: 1 });
          batch.push(toDelivered(entry, 1));
          group.cursor++;
        }
        member.deliver(batch);
      }
    }
  }

  /** Drops entries every group has acknowledged, so a long run keeps flat memory. */
  private trim(): void {
    let lowWater = this.end;
    for (const group of this.groups.values()) {
      lowWater = Math.min(lowWater, group.cursor);
      for (const index of group.pending.keys()) lowWater = Math.min(lowWater, index);
    }
    const droppable = lowWater - this.base;
    // Amortised: only compact when a good share of the array can go.
    if (droppable > 1024 && droppable * 2 > this.entries.length) {
      this.entries = this.entries.slice(droppable);
      this.base = lowWater;
    }
  }
}

function toDelivered(entry: Entry, deliveries: number): DeliveredEvent {
  return { key: entry.key, payload: entry.payload, position: String(entry.index), deliveryCount: deliveries };
}

const streams = new Map<string, MemoryStream>();

export const memoryStreams = {
  get(name: string): MemoryStream | undefined {
    return streams.get(name);
  },
  create(name: string, retainHistory: boolean): MemoryStream {
    let stream = streams.get(name);
    if (!stream) {
      stream = new MemoryStream(retainHistory);
      streams.set(name, stream);
    }
    return stream;
  },
  delete(name: string): void {
    streams.delete(name);
  },
};
