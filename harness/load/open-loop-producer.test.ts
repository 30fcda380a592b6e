import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppendResult, EventProducer, OutgoingEvent } from "../../adapters/contract/adapter.js";
import { decodeHistogram } from "../measurement/latency-histogram.js";
import { IntervalRecorder } from "../measurement/interval-recorder.js";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import { constantRate } from "./arrival-schedule.js";
import { EventSource } from "./event-source.js";
import { OpenLoopProducer } from "./open-loop-producer.js";

/** A system that answers after `delayMs`, and refuses nothing: harness logic only. */
class DelayedProducer implements EventProducer {
  calls = 0;
  events = 0;
  constructor(private readonly delayMs: () => number) {}
  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    this.calls++;
    this.events += events.length;
    await new Promise((r) => setTimeout(r, this.delayMs()));
    return { appended: events.length, conflicts: [] };
  }
  async close() {}
}

const source = () => new EventSource({ runTag: 1, producerId: 0, keys: 10, payloadSize: 64, chooseKey: () => 0 });

async function run(producer: EventProducer, rate: number, seconds: number, options = { batchSize: 1, lingerMs: 0, maxInFlight: 10_000 }) {
  const recorder = new IntervalRecorder();
  const loop = new OpenLoopProducer(constantRate(rate, seconds), source(), producer, recorder, options);
  loop.start(monotonicNowNs());
  await new Promise((r) => setTimeout(r, seconds * 1000 + 300));
  await loop.stop(5_000);
  const snapshot = recorder.take();
  recorder.destroy();
  return snapshot;
}

describe("open-loop producer", () => {
  it("sends exactly the scheduled events, whatever the system's speed", async () => {
    const fast = new DelayedProducer(() => 0);
    const snapshot = await run(fast, 500, 1);
    assert.equal(fast.events, 500);
    assert.equal(snapshot.counters.sent, 500);
    assert.equal(snapshot.counters.acked, 500);
  });

  it("does not slow down when the system does: sends keep their schedule, latency counts the wait", async () => {
    // 50 ms per append at 200/s: a closed loop of one would manage 20/s
    const slow = new DelayedProducer(() => 50);
    const snapshot = await run(slow, 200, 1);
    assert.equal(slow.events, 200, "all 200 sent in the second, about 10 in flight at once");
    const publish = decodeHistogram(snapshot.histograms.publish as string);
    assert.ok(publish.getValueAtPercentile(50) >= 50_000, "every event waited ≥ 50 ms (µs)");
    publish.destroy();
  });

  it("caps appends in flight at maxVUs and counts the waiting as latency, not as fewer events", async () => {
    const slow = new DelayedProducer(() => 100);
    const snapshot = await run(slow, 200, 1, { batchSize: 1, lingerMs: 0, maxInFlight: 5 });
    assert.ok((snapshot.counters.inFlightLimited ?? 0) > 0, "the limit was hit");
    const publish = decodeHistogram(snapshot.histograms.publish as string);
    // 5 in flight × 10/s each = 50/s, so events wait up to ~(200−50·1.3)/50 s behind schedule
    assert.ok(publish.maxValue > 500_000, `the backlog shows in latency (max ${publish.maxValue} µs)`);
    publish.destroy();
  });

  it("batches explicitly when asked: batchSize events per append call", async () => {
    const p = new DelayedProducer(() => 0);
    await run(p, 1000, 1, { batchSize: 10, lingerMs: 20, maxInFlight: 100 });
    assert.equal(p.events, 1000);
    assert.ok(p.calls <= 110, `about 100 calls of 10 (got ${p.calls})`);
  });
});

describe("open-loop producer against a system that stops answering", () => {
  const silent: EventProducer = { append: () => new Promise<AppendResult>(() => {}), close: async () => {} };
  const failing: EventProducer = { append: () => Promise.reject(new Error("OOM command not allowed when used memory > 'maxmemory'.")), close: async () => {} };

  it("stops within its give-up time and counts the appends never answered as failed, with the reason", async () => {
    const recorder = new IntervalRecorder();
    const loop = new OpenLoopProducer(constantRate(100, 1), source(), silent, recorder, { batchSize: 1, lingerMs: 0, maxInFlight: 10_000 });
    loop.start(monotonicNowNs());
    await new Promise((r) => setTimeout(r, 500));
    const stoppingAt = Date.now();
    await loop.stop(300);
    const tookMs = Date.now() - stoppingAt;
    const { counters, errorMessages } = recorder.take();
    recorder.destroy();
    assert.ok(tookMs < 2_000, `stopped after ${tookMs} ms`);
    assert.ok((counters.sent ?? 0) > 0);
    assert.equal(counters.failed, counters.sent, "every event sent was given up on");
    assert.equal(counters.errors, counters.sent, "one error per append (batchSize 1)");
    assert.deepEqual(Object.keys(errorMessages ?? {}), ["no answer within 0.3 s (given up when producing stopped)"]);
  });

  it("keeps each distinct error message with its count and first and last time", async () => {
    const recorder = new IntervalRecorder();
    const loop = new OpenLoopProducer(constantRate(200, 0.5), source(), failing, recorder, { batchSize: 1, lingerMs: 0, maxInFlight: 10_000 });
    loop.start(monotonicNowNs());
    await new Promise((r) => setTimeout(r, 800));
    await loop.stop(1_000);
    const { counters, errorMessages } = recorder.take();
    recorder.destroy();
    const tally = errorMessages?.["OOM command not allowed when used memory > 'maxmemory'."];
    assert.ok(tally, JSON.stringify(errorMessages));
    assert.equal(tally.count, counters.errors);
    assert.equal(tally.count, 100);
    assert.ok(tally.lastNs - tally.firstNs > 300e6, "first and last are the first and last failure, ~0.5 s apart");
  });
});
