import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseNatsBench, parsePerfTest, parseProducerPerformance, parseRedisBenchmarkCsv } from "./native-tools.js";

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

  it("nats bench js pub: one client's stats line, or the aggregated rate and the latencies per operation of several", () => {
    const one = [
      "06:59:30 [1] Starting JetStream synchronous publisher, publishing 3,000 messages",
      "",
      "NATS JetStream synchronous publisher stats: 5,948 msgs/sec ~ 1.5 MiB/sec ~ min: 63.48us ~ avg: 167.83us ~ max: 10,156.24us ~ P50: 109.36us ~ P90: 158.10us ~ P99: 1,862.08us ~ P99.9: 9,822.84us",
    ].join("\n");
    assert.deepEqual(parseNatsBench(one), { eventsPerS: 5948, p50Ms: 0.10936, p99Ms: 1.86208 });
    const several = [
      "  [1] 22,797 msgs/sec ~ 5.6 MiB/sec ~ min: 1,154.40us ~ avg: 4,354.62us ~ max: 96,698.01us ~ P50: 2,957.79us ~ P90: 5,158.72us ~ P99: 16,252.40us ~ P99.9: 96,698.01us (10,000 msgs)",
      " NATS JetStream asynchronous publisher aggregated stats: 87,839 msgs/sec ~ 21 MiB/sec",
      " message rates min 21,961 | avg 22,282 | max 22,797 | stddev 318 msgs",
      " latencies per operation min 834.78us | avg 4,458.89us | max 96,698.01us | stddev 10,331.88us | P50 3,081.16us | P90 5,961.87us | P99 16,252.40us | P99.9: 96,698.01us",
    ].join("\n");
    assert.deepEqual(parseNatsBench(several), { eventsPerS: 87839, p50Ms: 3.08116, p99Ms: 16.2524 });
    assert.throws(() => parseNatsBench("nats: error: context deadline exceeded"), /printed no msgs\/sec/);
  });

  it("PerfTest: the confirmed msg/s of the seconds after the warm-up, and the summary's confirm latency", () => {
    const out = [
      "id: test-072717-038, starting producer #0, channel #0",
      "id: test-072717-038, time 1.013 s, sent: 407 msg/s, confirmed: 344 msg/s, nacked: 0 msg/s, received: 345 msg/s, min/median/75th/95th/99th consumer latency: 754/69520/96710/139719/176340 µs, confirm latency: 992/18995/29906/70792/116602 µs",
      "id: test-072717-038, time 2.029 s, sent: 518 msg/s, confirmed: 580 msg/s, nacked: 0 msg/s, received: 573 msg/s, min/median/75th/95th/99th consumer latency: 1231/54961/76429/128649/230449 µs, confirm latency: 607/19231/24222/41542/44426 µs",
      "id: test-072717-038, time 3.017 s, sent: 1028 msg/s, confirmed: 1029 msg/s, nacked: 0 msg/s, received: 974 msg/s, min/median/75th/95th/99th consumer latency: 1251/51401/87303/138525/173504 µs, confirm latency: 674/12410/24287/86164/86325 µs",
      "id: test-072717-038, time 4.087 s, sent: 1370 msg/s, confirmed: 1310 msg/s, nacked: 0 msg/s, received: 1407 msg/s, min/median/75th/95th/99th consumer latency: 3010/26373/46253/87896/205798 µs, confirm latency: 2647/16958/33565/72790/146968 µs",
      "test stopped (Reached time limit)",
      "id: test-072717-038, sending rate avg: 988 msg/s",
      "id: test-072717-038, receiving rate avg: 988 msg/s",
      "id: test-072717-038, consumer latency min/median/75th/95th/99th 790/35429/76984/164800/310506 µs",
      "id: test-072717-038, confirm latency min/median/75th/95th/99th 607/17292/31981/81300/125792 µs",
    ].join("\n");
    assert.deepEqual(parsePerfTest(out, 2), { eventsPerS: (1029 + 1310) / 2, p50Ms: 17.292, p99Ms: 125.792 });
    assert.deepEqual(parsePerfTest(out.replace(/ µs$/, " ms").replace("607/17292/31981/81300/125792 ms", "1/17/32/81/126 ms"), 0).p50Ms, 17);
    assert.throws(() => parsePerfTest(out, 5), /no confirmed msg\/s after 5 s/);
  });
});
