import type { DeliveredEvent, EventConsumer, StreamAdapter, StreamSpec } from "../../adapters/contract/adapter.js";
import { decodeEnvelope, type Envelope } from "../measurement/event-envelope.js";
import type { IntervalRecorder } from "../measurement/interval-recorder.js";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import type { ProjectionLagBoard } from "../../scenarios/workloads/cqrs/projection-lag-board.js";
import type { ReadModel } from "../../scenarios/workloads/cqrs/read-model/read-model.js";
import type { VisibilityWaiters } from "../../scenarios/workloads/cqrs/visibility-waiters.js";

/** A member that projects (cqrs): events go into the read model before they are acknowledged. */
export interface Projection {
  readonly readModel: ReadModel;
  readonly lag: ProjectionLagBoard;
  readonly waiters: VisibilityWaiters;
}

/** What one thread received of one group since the last reading, in the order it received it. */
export interface Receipts {
  /** Packed (producerId, keyIndex, seq) triples. */
  readonly triples: Uint32Array;
  /** When each was received, monotonic ns (the same clock in every thread), never decreasing. */
  readonly receivedNs: Float64Array;
}

/**
 * The receipts of one group on one thread, grown as needed and handed over per interval. Shared by
 * that thread's members; the receive times let the coordinator put every thread's receipts into
 * one order, so order across members is judged wherever they run.
 */
export class DeliveryLog {
  private buf = new Uint32Array(3 * 1024);
  private times = new Float64Array(1024);
  private n = 0;

  push(producerId: number, keyIndex: number, seq: number, receivedNs: number): void {
    if (this.n === this.times.length) {
      const bigger = new Uint32Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
      const later = new Float64Array(this.times.length * 2);
      later.set(this.times);
      this.times = later;
    }
    this.times[this.n] = receivedNs;
    const i = 3 * this.n++;
    this.buf[i] = producerId;
    this.buf[i + 1] = keyIndex;
    this.buf[i + 2] = seq;
  }

  take(): Receipts {
    const out = { triples: this.buf.slice(0, 3 * this.n), receivedNs: this.times.slice(0, this.n) };
    this.n = 0;
    return out;
  }
}

export interface GroupMemberOptions {
  readonly group: string;
  readonly member: string;
  readonly runTag: number;
  readonly maxBatch: number;
  readonly claimIdleAfterMs?: number;
  readonly projection?: Projection;
  /** Counted with every batch this member receives, beside the group's count (a replacement member after a fault). */
  readonly ownCounter?: string;
}

/**
 * One member of a consumer group: records end-to-end latency (intended send → received), logs each
 * delivery for the verifier, and acknowledges what it handled. A projecting member acknowledges
 * only once the read model shows the events, so an event whose projection failed is redelivered.
 */
export class GroupMember {
  private consumer: EventConsumer | undefined;
  private readonly e2e: `e2e:${string}`;

  constructor(
    private readonly recorder: IntervalRecorder,
    private readonly deliveries: DeliveryLog,
    private readonly o: GroupMemberOptions,
  ) {
    this.e2e = `e2e:${o.group}`;
  }

  get group(): string {
    return this.o.group;
  }

  get member(): string {
    return this.o.member;
  }

  async start(adapter: StreamAdapter, stream: StreamSpec): Promise<void> {
    this.consumer = await adapter.createConsumer(
      stream,
      {
        group: this.o.group,
        member: this.o.member,
        maxBatch: this.o.maxBatch,
        ...(this.o.claimIdleAfterMs !== undefined ? { claimIdleAfterMs: this.o.claimIdleAfterMs } : {}),
      },
      this.onEvents,
    );
  }

  async close(): Promise<void> {
    await this.consumer?.close();
  }

  async kill(): Promise<void> {
    await this.consumer?.kill();
  }

  private readonly onEvents = (events: readonly DeliveredEvent[]): void => {
    const now = monotonicNowNs();
    let foreign = 0;
    const projected: Envelope[] = [];
    for (const e of events) {
      const env = decodeEnvelope(e.payload);
      if (!env || env.runTag !== this.o.runTag) {
        foreign++;
        continue;
      }
      if (this.o.projection) projected.push(env);
      this.recorder.recordNs(this.e2e, now - env.intendedNs);
      this.deliveries.push(env.producerId, env.keyIndex, env.seq, now);
      if (e.deliveryCount !== undefined && e.deliveryCount > 1) this.recorder.count(`redelivered:${this.o.group}`);
    }
    this.recorder.count(`received:${this.o.group}`, events.length - foreign);
    if (this.o.ownCounter) this.recorder.count(this.o.ownCounter, events.length - foreign);
    if (foreign > 0) this.recorder.count(`foreign:${this.o.group}`, foreign);
    if (this.o.projection) {
      this.project(this.o.projection, projected, events);
      return;
    }
    this.acknowledge(events);
  };

  private project(projection: Projection, envelopes: Envelope[], events: readonly DeliveredEvent[]): void {
    projection.readModel.apply(envelopes).then(
      () => {
        const visibleNs = monotonicNowNs();
        for (const env of envelopes) projection.lag.applied(env.producerId, env.keyIndex, env.seq, visibleNs);
        projection.waiters.appliedBatch(envelopes, visibleNs);
        this.recorder.count("projected", envelopes.length);
        this.acknowledge(events);
      },
      () => this.recorder.count("projectionErrors"),
    );
  }

  private acknowledge(events: readonly DeliveredEvent[]): void {
    this.consumer?.ack(events).then(
      () => this.recorder.count(`acknowledged:${this.o.group}`, events.length),
      () => this.recorder.count(`ackErrors:${this.o.group}`),
    );
  }
}
