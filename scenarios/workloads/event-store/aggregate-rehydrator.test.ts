import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryAdapterFactory } from "../../../adapters/memory/memory-adapter.js";
import { encodeEnvelope } from "../../../harness/measurement/event-envelope.js";
import { IntervalRecorder } from "../../../harness/measurement/interval-recorder.js";
import { monotonicNowNs } from "../../../harness/measurement/monotonic-clock.js";
import { threadWakeClock } from "../../../harness/load/precise-wake.js";
import { AggregateRehydrator, lengthBucket } from "./aggregate-rehydrator.js";

describe("aggregate rehydration with snapshots", () => {
  it("reads an aggregate whole once, then only the events after the snapshot at the last multiple of snapshotEvery", async () => {
    const adapter = memoryAdapterFactory.create({ endpoint: { url: "memory:", display: "memory:", provider: "in-process" } });
    const stream = { name: "rehydrate-unit", partitions: 1 };
    await adapter.setup(stream, []);
    const producer = await adapter.createProducer(stream);
    const events = Array.from({ length: 25 }, (_, seq) => ({ key: "agg-0", payload: encodeEnvelope({ runTag: 7, producerId: 0, keyIndex: 0, seq, intendedNs: 1 }, 32) }));
    await producer.append(events);

    const recorder = new IntervalRecorder();
    // Five rehydrations of aggregate 0, one at a time, with a snapshot every 10 events.
    const rehydrator = new AggregateRehydrator(adapter, stream, recorder, { chooseKey: () => 0, intervalS: 0.01, snapshotEvery: 10, durationS: 0.05, runTag: 7, maxInFlight: 1 });
    await threadWakeClock.prepare();
    rehydrator.start(monotonicNowNs());
    await new Promise((r) => setTimeout(r, 150));
    await rehydrator.stop();
    const { counters, histograms } = recorder.take();
    assert.equal(counters.rehydrations, 5);
    assert.equal(counters.eventsFolded, 25 + 4 * 5, "first read: all 25; then versions 21-25 after the snapshot at 20");
    assert.equal(counters.snapshotReads, 4);
    assert.equal(counters.rehydrateLengthMismatches, undefined);
    assert.ok(histograms[`rehydrate:${lengthBucket(25)}`], "recorded in the 16-31 bucket");
    assert.equal(lengthBucket(25), 16);
    assert.equal(await rehydrator.totalEvents(1), 25);
    recorder.destroy();
    await adapter.teardown(stream);
    await threadWakeClock.close();
  });
});
