import type { Envelope } from "../../../../harness/measurement/event-envelope.js";

/**
 * The CQRS read model the projector folds events into and the query load reads. One row per
 * aggregate: how many events were projected, and per producer the highest sequence number seen
 * (+1), which is what read-your-writes checks a command against.
 */
export interface ReadModel {
  /** Folds delivered events in; resolves once they are visible to queries. */
  apply(events: readonly Envelope[]): Promise<void>;
  /** Events of `producerId` on aggregate `keyIndex` the read model shows (highest seq + 1, 0 if none). */
  visible(producerId: number, keyIndex: number): Promise<number>;
  /** Removes what the run wrote (a shared server must not keep a run's rows). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** Where the read model lives, as the role hosts receive it (plain data). */
export type ReadModelSpec =
  | { readonly kind: "in-process-map" }
  | { readonly kind: "redis-hash"; readonly url: string; readonly prefix: string; readonly keys: number };
