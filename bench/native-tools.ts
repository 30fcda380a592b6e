/**
 * Runs the systems' own benchmark tools and reads their figures: `redis-benchmark` (XADD) and
 * Kafka's `org.apache.kafka.tools.ProducerPerformance`, for peer-comparison.ts.
 */
import { runChild } from "./cli-benchmark-run.js";

/** What one run of either side measured; latencies in ms, null where the tool does not print them. */
export interface Measured {
  readonly eventsPerS: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

const lastLines = (text: string, n = 5) => text.trim().split("\n").slice(-n).join("\n");

/**
 * Parses `redis-benchmark --csv`: a header row, then one row per test. Redis 7 prints rps and
 * avg/min/p50/p95/p99/max latency; older versions print rps only, so columns are found by name.
 */
export function parseRedisBenchmarkCsv(text: string): Measured {
  const rows = text
    .trim()
    .split("\n")
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => (m[1] as string).replace(/""/g, '"')));
  const header = rows.find((r) => r.includes("rps"));
  const data = rows.filter((r) => r !== header && r.length === header?.length);
  const row = data[data.length - 1];
  if (!header || !row) throw new Error(`redis-benchmark printed no result row:\n${lastLines(text)}`);
  const col = (name: string) => {
    const i = header.indexOf(name);
    return i < 0 ? null : Number(row[i]);
  };
  const rps = col("rps");
  if (rps === null || !Number.isFinite(rps) || rps <= 0) throw new Error(`redis-benchmark: no usable rps in ${JSON.stringify(row)}`);
  return { eventsPerS: rps, p50Ms: col("p50_latency_ms"), p99Ms: col("p99_latency_ms") };
}

export interface RedisBenchmarkRun {
  readonly port: number;
  readonly clients: number;
  readonly pipeline: number;
  readonly requests: number;
  readonly payloadSize: number;
  readonly timeoutMs: number;
}

/**
 * XADD with a literal value of the payload size: redis-benchmark 7.0 has no `-t xadd` test and
 * does not expand `__data__` in a command given on the line (checked against 7.0.15), so `-d`
 * would not size it. Field names and a key mirror what the redis-streams adapter writes.
 */
export async function runRedisBenchmark(r: RedisBenchmarkRun): Promise<Measured> {
  const value = "x".repeat(r.payloadSize);
  const args = ["-h", "127.0.0.1", "-p", String(r.port), "-c", String(r.clients), "-P", String(r.pipeline), "-n", String(r.requests), "--csv"];
  const out = await runChild("redis-benchmark", [...args, "XADD", "peers-redis-benchmark", "*", "k", "key-1", "p", value], { timeoutMs: r.timeoutMs });
  if (out.code !== 0) throw new Error(`redis-benchmark exited with ${out.code}:\n${lastLines(out.stderr || out.stdout)}`);
  return parseRedisBenchmarkCsv(out.stdout);
}

/**
 * ProducerPerformance's final summary: "N records sent, R records/sec (… MB/sec), A ms avg latency,
 * M ms max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th." With --warmup-records
 * a "steady state" line of the same shape follows, and that one counts. Progress lines every 5 s
 * have no percentiles and are skipped.
 */
export function parseProducerPerformance(text: string): Measured {
  const summary = /(\d+) (steady state )?records sent, ([\d.]+) records\/sec .*?([\d.]+) ms 50th, ([\d.]+) ms 95th, ([\d.]+) ms 99th/;
  const lines = text.split("\n").filter((l) => summary.test(l));
  const line = lines.find((l) => l.includes("steady state")) ?? lines[lines.length - 1];
  const m = line ? summary.exec(line) : null;
  if (!m) throw new Error(`ProducerPerformance printed no summary line:\n${lastLines(text)}`);
  return { eventsPerS: Number(m[3]), p50Ms: Number(m[4]), p99Ms: Number(m[6]) };
}

export interface ProducerPerformanceRun {
  readonly classpath: string;
  readonly bootstrap: string;
  readonly topic: string;
  readonly records: number;
  readonly warmupRecords: number;
  readonly recordSize: number;
  /** records/s, or -1 for no limit */
  readonly throughput: number;
  readonly producerProps: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** --bootstrap-server and --command-property: --producer-props is deprecated in Kafka 4. */
export async function runProducerPerformance(r: ProducerPerformanceRun): Promise<Measured> {
  const args = [
    "-Xmx512m",
    "-cp",
    r.classpath,
    "org.apache.kafka.tools.ProducerPerformance",
    "--topic", r.topic,
    "--num-records", String(r.records),
    "--warmup-records", String(r.warmupRecords),
    "--record-size", String(r.recordSize),
    "--throughput", String(r.throughput),
    "--bootstrap-server", r.bootstrap,
    "--command-property", ...Object.entries(r.producerProps).map(([k, v]) => `${k}=${v}`),
  ];
  const out = await runChild("java", args, { timeoutMs: r.timeoutMs });
  if (out.code !== 0) throw new Error(`ProducerPerformance exited with ${out.code}:\n${lastLines(out.stderr || out.stdout)}`);
  return parseProducerPerformance(out.stdout);
}
