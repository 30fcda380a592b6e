import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseProducerPerformance, parseRedisBenchmarkCsv } from "./native-tools.js";

describe("reading the native tools' figures", () => {
  it("redis-benchmark --csv: rps and latency columns found by name", () => {
    const csv = [
      '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"',
      '"XADD peers-redis-benchmark * k key-1 p xxxx","65159.00","0.700","0.104","0.367","1.015","1.151","3.231"',
    ].join("\n");
    assert.deepEqual(parseRedisBenchmarkCsv(csv), { eventsPerS: 65159, p50Ms: 0.367, p99Ms: 1.151 });
    assert.deepEqual(parseRedisBenchmarkCsv('"test","rps"\n"XADD","1000.00"\n'), { eventsPerS: 1000, p50Ms: null, p99Ms: null }, "older versions print rps only");
    assert.throws(() => parseRedisBenchmarkCsv('"test","rps"\n'), /printed no result row/);
  });

  it("ProducerPerformance: the steady-state summary after the warm-up records, not the progress lines", () => {
    const out = [
      "249856 records sent, 49971.2 records/sec (48.80 MB/sec), 210.3 ms avg latency, 480.0 ms max latency.",
      "500000 records sent, 95493.1 records/sec (93.25 MB/sec), 250.12 ms avg latency, 611.00 ms max latency, 240 ms 50th, 420 ms 95th, 545 ms 99th, 600 ms 99.9th.",
      "350000 steady state records sent, 97311.4 records/sec (95.03 MB/sec), 245.01 ms avg latency, 611.00 ms max latency, 236 ms 50th, 410 ms 95th, 530 ms 99th, 598 ms 99.9th.",
    ].join("\n");
    assert.deepEqual(parseProducerPerformance(out), { eventsPerS: 97311.4, p50Ms: 236, p99Ms: 530 });
    assert.deepEqual(parseProducerPerformance(out.split("\n").slice(0, 2).join("\n")), { eventsPerS: 95493.1, p50Ms: 240, p99Ms: 545 });
    assert.throws(() => parseProducerPerformance("Exception in thread main"), /printed no summary line/);
  });
});
