import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager, type PubAck } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import { subjectOf } from "./nats-names.js";

/** Where an aggregate's subject stands: its event count and the stream sequence of its last event. */
interface AggregatePosition {
  readonly version: number;
  readonly lastSeq: number;
}

const isWrongLastSequence = (error: unknown) =>
  error instanceof JetStreamApiError && (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);

/**
 * Publishes to the aggregate's subject and awaits each PubAck. Events without an expected version
 * are published all at once (pipelined). Events with one are optimistic appends: each carries
 * `Nats-Expected-Last-Subject-Sequence`, the stream sequence of the aggregate's last event, which
 * the server checks atomically; the sequence of version N is known from this producer's own
 * PubAcks, or asked of the server once (last message of the subject, count of the subject).
 */
export class NatsEventProducer implements EventProducer {
  private readonly positions = new Map<string, AggregatePosition>();
  /** The last append in progress per aggregate: the next one to the same aggregate waits for it. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly streamName: string,
    private readonly runStream: string,
  ) {}

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    const plain = events.filter((e) => e.expectedVersion === undefined);
    const guarded = new Map<string, OutgoingEvent[]>();
    for (const e of events) if (e.expectedVersion !== undefined) guarded.set(e.key, [...(guarded.get(e.key) ?? []), e]);
    const outcomes = await Promise.all([
      Promise.all(plain.map((e) => this.js.publish(subjectOf(this.runStream, e.key), e.payload))).then((acks) => ({ appended: acks.length, conflict: false })),
      ...[...guarded].map(([key, keyEvents]) => this.appendGuarded(key, keyEvents)),
    ]);
    const conflicts = [...guarded.keys()].filter((_, i) => outcomes[i + 1]?.conflict);
    return { appended: outcomes.reduce((n, o) => n + o.appended, 0), conflicts };
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close());
  }

  /**
   * Appends to one aggregate run one after another in call order: each needs the sequence the
   * previous one got, and a workload pipelines commands to one aggregate (the next expecting the
   * version after those in flight), so two at once would race for the same expected sequence.
   * Appends to different aggregates run at once.
   */
  private appendGuarded(key: string, events: readonly OutgoingEvent[]): Promise<{ appended: number; conflict: boolean }> {
    const run = (this.tails.get(key) ?? Promise.resolve()).then(() => this.appendInOrder(key, events));
    const tail = run.then(() => {}, () => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /**
   * The events of one aggregate in order, each expecting the sequence the previous one got; the
   * first expects the aggregate to be at the first event's expected version. A stale version is a
   * conflict: its events are not published.
   */
  private async appendInOrder(key: string, events: readonly OutgoingEvent[]): Promise<{ appended: number; conflict: boolean }> {
    const expected = events[0]?.expectedVersion ?? 0;
    let position = this.positions.get(key);
    if (position?.version !== expected) position = await this.serverPosition(key);
    if (position.version !== expected) return { appended: 0, conflict: true };
    let appended = 0;
    for (const e of events) {
      let ack: PubAck;
      try {
        ack = await this.js.publish(subjectOf(this.runStream, key), e.payload, { expect: { lastSubjectSequence: position.lastSeq } });
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        // Another writer appended since: this producer's view is stale.
        this.positions.delete(key);
        return { appended, conflict: true };
      }
      position = { version: position.version + 1, lastSeq: ack.seq };
      this.positions.set(key, position);
      appended++;
    }
    return { appended, conflict: false };
  }

  /**
   * The aggregate's position as the server has it. The last sequence is read before the count: an
   * append between the two makes the count newer than the sequence, and the publish that expects
   * that sequence is then refused by the server, never accepted on a stale version.
   */
  private async serverPosition(key: string): Promise<AggregatePosition> {
    const subject = subjectOf(this.runStream, key);
    const last = await this.jsm.streams.getMessage(this.streamName, { last_by_subj: subject });
    if (!last) return { version: 0, lastSeq: 0 };
    const info = await this.jsm.streams.info(this.streamName, { subjects_filter: subject });
    return { version: info.state.subjects?.[subject] ?? 0, lastSeq: last.seq };
  }
}
