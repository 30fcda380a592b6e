import type { Envelope } from "../../../../harness/measurement/event-envelope.js";
import type { ReadModel } from "./read-model.js";

interface Row {
  events: number;
  /** Highest seq + 1 per producer id. */
  readonly seenByProducer: number[];
}

/**
 * `in-process-map`: the read model is a Map in the memory of the thread that runs the projector
 * and the query load (they share a thread, so no copy crosses threads). What it measures is the
 * pipeline up to the projector; a read model on a server adds its round trips (see redis-hash).
 */
export class InProcessReadModel implements ReadModel {
  private readonly rows = new Map<number, Row>();

  async apply(events: readonly Envelope[]): Promise<void> {
    for (const e of events) {
      let row = this.rows.get(e.keyIndex);
      if (!row) {
        row = { events: 0, seenByProducer: [] };
        this.rows.set(e.keyIndex, row);
      }
      row.events++;
      row.seenByProducer[e.producerId] = Math.max(row.seenByProducer[e.producerId] ?? 0, e.seq + 1);
    }
  }

  async visible(producerId: number, keyIndex: number): Promise<number> {
    return this.rows.get(keyIndex)?.seenByProducer[producerId] ?? 0;
  }

  async clear(): Promise<void> {
    this.rows.clear();
  }

  async close(): Promise<void> {}
}
