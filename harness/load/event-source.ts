import type { OutgoingEvent } from "../../adapters/contract/adapter.js";
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

export function keyName(index: number): string {
  return `agg-${index}`;
}

/** Builds enveloped events with per-key sequence numbers; the sequence is what the verifier checks. */
export class EventSource {
  private readonly nextSeq: number[];
  private readonly keyNames: string[];

  constructor(private readonly o: EventSourceOptions) {
    this.nextSeq = new Array<number>(o.keys).fill(0);
    this.keyNames = Array.from({ length: o.keys }, (_, i) => keyName(i));
  }

  next(intendedNs: number): SourcedEvent {
    const keyIndex = this.o.chooseKey();
    const seq = this.nextSeq[keyIndex] as number;
    this.nextSeq[keyIndex] = seq + 1;
    const payload = encodeEnvelope({ runTag: this.o.runTag, producerId: this.o.producerId, keyIndex, seq, intendedNs }, this.o.payloadSize);
    return { event: { key: this.keyNames[keyIndex] as string, payload }, keyIndex, seq, intendedNs };
  }

  /** Next sequence number per key: the verifier's "sent". */
  sentPerKey(): readonly number[] {
    return this.nextSeq;
  }

  get producerId(): number {
    return this.o.producerId;
  }
}

export function uniformKeys(keys: number): () => number {
  return () => Math.floor(Math.random() * keys);
}
