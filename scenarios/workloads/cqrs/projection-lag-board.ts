import type { IntervalRecorder } from "../../../harness/measurement/interval-recorder.js";

/** Shared memory behind a ProjectionLagBoard: created by the coordinator, handed to every role host. */
export interface ProjectionLagBuffers {
  readonly producers: number;
  readonly keys: number;
  /** Slots per (producer, key): commands of one aggregate that can await projection at once. */
  readonly window: number;
  readonly state: SharedArrayBuffer;
  readonly ackNs: SharedArrayBuffer;
}

/** 4 M slots, 48 MiB: with many aggregates each gets fewer slots, as few commands await projection per aggregate. */
const MAX_SLOTS = 4 * 1024 * 1024;

export function newProjectionLagBuffers(producers: number, keys: number, window = 64): ProjectionLagBuffers {
  window = Math.max(1, Math.min(window, Math.floor(MAX_SLOTS / (producers * keys))));
  const slots = producers * keys * window;
  return { producers, keys, window, state: new SharedArrayBuffer(slots * 4), ackNs: new SharedArrayBuffer(slots * 8) };
}

const APPLIED = 1;

/**
 * Projection lag, acknowledgement → visible in the read model, measured without polling and
 * without a per-event message between threads. The producer's thread knows when the broker
 * acknowledged an event, the projector's thread when the read model showed it; both meet in one
 * shared slot per (producer, key, seq mod window), claimed with compare-and-swap: whichever comes
 * second records the lag. A projection that was visible before the acknowledgement came back has
 * lag 0. A slot still awaiting its partner when `window` later commands of the same aggregate
 * reuse it loses that sample, and the loss is counted (`projectionLagOverwritten`).
 */
export class ProjectionLagBoard {
  private readonly state: Int32Array;
  private readonly ackNs: Float64Array;

  constructor(
    private readonly b: ProjectionLagBuffers,
    private readonly recorder: IntervalRecorder,
  ) {
    this.state = new Int32Array(b.state);
    this.ackNs = new Float64Array(b.ackNs);
  }

  /** Producer side: the broker acknowledged (producer, key, seq) at `ackNs`. */
  acked(producerId: number, keyIndex: number, seq: number, ackNs: number): void {
    const i = this.slot(producerId, keyIndex, seq);
    const tag = (seq + 1) * 2;
    this.ackNs[i] = ackNs; // published to the other thread by the atomic write below
    for (;;) {
      const current = Atomics.load(this.state, i);
      if (current === tag + APPLIED) {
        this.recorder.recordDelayNs("projection", 0);
        Atomics.compareExchange(this.state, i, current, 0);
        return;
      }
      if (Atomics.compareExchange(this.state, i, current, tag) === current) {
        if (current !== 0) this.recorder.count("projectionLagOverwritten");
        return;
      }
    }
  }

  /** Projector side: (producer, key, seq) became visible in the read model at `visibleNs`. */
  applied(producerId: number, keyIndex: number, seq: number, visibleNs: number): void {
    const i = this.slot(producerId, keyIndex, seq);
    const tag = (seq + 1) * 2;
    for (;;) {
      const current = Atomics.load(this.state, i);
      if (current === tag) {
        this.recorder.recordDelayNs("projection", visibleNs - (this.ackNs[i] as number));
        Atomics.compareExchange(this.state, i, current, 0);
        return;
      }
      if (current === tag + APPLIED) return; // a redelivery of an event already projected
      if (Atomics.compareExchange(this.state, i, current, tag + APPLIED) === current) {
        if (current !== 0) this.recorder.count("projectionLagOverwritten");
        return;
      }
    }
  }

  private slot(producerId: number, keyIndex: number, seq: number): number {
    return (producerId * this.b.keys + keyIndex) * this.b.window + (seq % this.b.window);
  }
}
