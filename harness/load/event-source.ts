import type { AppendResult, OutgoingEvent } from "../../adapters/contract/adapter.js";
import { encodeEnvelope } from "../measurement/event-envelope.js";

export interface EventSourceOptions {
  readonly runTag: number;
  readonly producerId: number;
  /** Number of aggregates; keys are `agg-<index>`. */
  readonly keys: number;
  readonly payloadSize: number;
  /** Picks the key index of the next event. */
  readonly chooseKey: () => number;
}

export interface SourcedEvent {
  readonly event: OutgoingEvent;
  readonly keyIndex: number;
  readonly seq: number;
  readonly intendedNs: number;
}

/**
 * What a producer loop appends: the events of each scheduled arrival (one event, or the events of
 * one command), and what it is told of each append's outcome (versions, acknowledgement times).
 */
export interface AppendSource {
  readonly producerId: number;
  /** The events of the arrival due at `intendedNs`. */
  arrival(intendedNs: number): SourcedEvent[];
  /** The outcome of an append of `events`: the system's answer, or null when the append failed. */
  settled?(events: readonly SourcedEvent[], result: AppendResult | null): void;
  /** Next sequence number per key: the verifier's "sent". */
  sentPerKey(): readonly number[];
}

export function keyName(index: number): string {
  return `agg-${index}`;
}

/** Builds enveloped events with per-key sequence numbers; the sequence is what the verifier checks. */
export class EventSource implements AppendSource {
  private readonly nextSeq: number[];
  private readonly keyNames: string[];

  constructor(private readonly o: EventSourceOptions) {
    this.nextSeq = new Array<number>(o.keys).fill(0);
    this.keyNames = Array.from({ length: o.keys }, (_, i) => keyName(i));
  }

  next(intendedNs: number): SourcedEvent {
    return this.nextFor(this.o.chooseKey(), intendedNs);
  }

  arrival(intendedNs: number): SourcedEvent[] {
    return [this.next(intendedNs)];
  }

  /** The next event of aggregate `keyIndex`. */
  nextFor(keyIndex: number, intendedNs: number, expectedVersion?: number): SourcedEvent {
    const seq = this.nextSeq[keyIndex] as number;
    this.nextSeq[keyIndex] = seq + 1;
    const payload = encodeEnvelope({ runTag: this.o.runTag, producerId: this.o.producerId, keyIndex, seq, intendedNs }, this.o.payloadSize);
    const key = this.keyNames[keyIndex] as string;
    return { event: expectedVersion === undefined ? { key, payload } : { key, payload, expectedVersion }, keyIndex, seq, intendedNs };
  }

  /** Next sequence number per key: the verifier's "sent". */
  sentPerKey(): readonly number[] {
    return this.nextSeq;
  }

  get producerId(): number {
    return this.o.producerId;
  }
}
