import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppendResult, EventProducer, OutgoingEvent } from "../../adapters/contract/adapter.js";
import { IntervalRecorder } from "../measurement/interval-recorder.js";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import { ClosedLoopProducer } from "./closed-loop-producer.js";
import { EventSource } from "./event-source.js";

/** Acknowledges in a microtask, like the in-process adapter: no I/O ever hands the loop back. */
const instant: EventProducer = {
  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    return { appended: events.length, conflicts: [] };
  },
  async close() {},
};

describe("closed-loop producer", () => {
  it("against a system that answers in a microtask, still gives the event loop back (timers fire while it runs)", async () => {
    const recorder = new IntervalRecorder();
    const source = new EventSource({ runTag: 1, producerId: 0, keys: 10, payloadSize: 64, chooseKey: () => 0 });
    const loop = new ClosedLoopProducer(source, instant, recorder, { vus: 4, batchSize: 10, durationS: 3 });
    const startedNs = monotonicNowNs();
    loop.start(startedNs);
    const firedAfterMs = await new Promise<number>((resolve) => setTimeout(() => resolve((monotonicNowNs() - startedNs) / 1e6), 10));
    const sentWhileRunning = recorder.take().counters.sent ?? 0;
    await loop.stop(5_000);
    recorder.destroy();
    // Starved, the timer would fire only when the 3 s loop ends.
    assert.ok(firedAfterMs < 1000, `a 10 ms timer fired after ${firedAfterMs.toFixed(0)} ms`);
    assert.ok(sentWhileRunning > 0, "and the loop was sending in between");
  });
});
