/**
 * Runs the systems' own benchmark tools and reads their figures: `redis-benchmark` (XADD),
 * Kafka's `org.apache.kafka.tools.ProducerPerformance` and natscli's `nats bench js pub`, for
 * peer-comparison.ts.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { eventbenchCacheDir } from "../harness/environment/cache-dir.js";
import { resolveMavenRuntime } from "../harness/environment/native/maven-runtime.js";
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

/** The natscli `nats bench` runs; pinned (v0.5.1 is skipped: the Go module proxy's listing says so). */
export const NATSCLI_VERSION = "0.5.0";
const NATSCLI_MODULE = `github.com/nats-io/natscli/nats@v${NATSCLI_VERSION}`;

/**
 * `nats` (natscli) from eventbench's cache, built there with `go install` on first use (a bench
 * tool, not a server: `env prepare` does not build it). Returns the binary's path.
 */
export async function resolveNatsCli(progress: (message: string) => void): Promise<string> {
  const dir = join(eventbenchCacheDir(), `natscli-${NATSCLI_VERSION}`);
  const binary = join(dir, "nats");
  if (existsSync(binary)) return binary;
  progress(`building natscli ${NATSCLI_VERSION} with go install into ${dir} (first use) …`);
  await mkdir(dir, { recursive: true });
  const out = await runChild("go", ["install", NATSCLI_MODULE], { timeoutMs: 900_000, env: { ...process.env, GOBIN: dir } });
  if (out.code !== 0 || !existsSync(binary)) throw new Error(`go install ${NATSCLI_MODULE} failed:\n${lastLines(out.stderr || out.stdout)}`);
  return binary;
}

/**
 * `nats bench js pub`'s report. With one client: "… stats: 14,321 msgs/sec ~ 3.5 MiB/sec ~ min: …
 * ~ P50: 61.2us ~ P90: … ~ P99: 120us ~ …". With several, per-client lines, then "… aggregated
 * stats: N msgs/sec …" and "latencies per operation min … | P50 Xus | P90 … | P99 Yus | P99.9: …",
 * which count. Latencies are per operation (one publish, or one async batch), in µs.
 */
export function parseNatsBench(text: string): Measured {
  const lines = text.split("\n");
  const rateLine = lines.find((l) => /aggregated stats: [\d,]+ msgs\/sec/.test(l)) ?? lines.find((l) => /stats: [\d,]+ msgs\/sec/.test(l));
  const rate = rateLine ? Number(/stats: ([\d,]+) msgs\/sec/.exec(rateLine)?.[1]?.replace(/,/g, "")) : NaN;
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`nats bench printed no msgs/sec:\n${lastLines(text)}`);
  const latencyLine = lines.find((l) => l.includes("latencies per operation")) ?? rateLine ?? "";
  const us = (name: string) => {
    const m = new RegExp(`${name}:? ([\\d,.]+)us`).exec(latencyLine);
    // µs with two decimals to ms, without the float noise of the division.
    return m ? Number((Number((m[1] as string).replace(/,/g, "")) / 1000).toPrecision(12)) : null;
  };
  return { eventsPerS: rate, p50Ms: us("P50"), p99Ms: us("P99") };
}

export interface NatsBenchRun {
  readonly binary: string;
  readonly url: string;
  /** sync: one publish in flight per client, awaiting its PubAck; async: `batch` in flight. */
  readonly mode: "sync" | "async";
  readonly clients: number;
  readonly batch: number;
  readonly msgs: number;
  readonly size: number;
  readonly stream: string;
  readonly timeoutMs: number;
}

/** Publishes to a file-stored R1 stream it creates (`--create`); the caller deletes the stream. */
export async function runNatsBench(r: NatsBenchRun): Promise<Measured> {
  const args = [
    "--server", r.url, "bench", "js", "pub", r.mode, `${r.stream}.bench`,
    "--clients", String(r.clients), "--msgs", String(r.msgs), "--size", `${r.size}B`,
    "--stream", r.stream, "--create", "--storage", "file", "--replicas", "1", "--no-progress",
    ...(r.mode === "async" ? ["--batch", String(r.batch)] : []),
  ];
  const out = await runChild(r.binary, args, { timeoutMs: r.timeoutMs });
  if (out.code !== 0) throw new Error(`nats bench exited with ${out.code}:\n${lastLines(out.stderr || out.stdout)}`);
  return parseNatsBench(out.stdout);
}

/** RabbitMQ PerfTest, pinned: Maven Central serves 2.22.1 (2.23.0 was refused on 2026-12-03). */
export const PERF_TEST_VERSION = "2.22.1";

/** PerfTest's jars and their dependencies in eventbench's cache, resolved with `mvn` on first use. Returns the class path. */
export async function resolvePerfTest(progress: (message: string) => void): Promise<string> {
  const runtime = {
    product: `RabbitMQ PerfTest ${PERF_TEST_VERSION}`,
    cacheFolder: `rabbitmq-perf-test-${PERF_TEST_VERSION}`,
    artifacts: [{ groupId: "com.rabbitmq", artifactId: "perf-test", version: PERF_TEST_VERSION }],
    size: "about 8 MB",
  };
  return join(await resolveMavenRuntime(runtime, progress), "*");
}

/**
 * PerfTest's report: a line a second, "id: …, time 4.087 s, sent: N msg/s, confirmed: C msg/s, …",
 * then the closing summary with "confirm latency min/median/75th/95th/99th a/b/c/d/e µs" (ms with
 * --use-millis). PerfTest has no warm-up option: the rate is the mean of the confirmed msg/s of the
 * seconds after `warmupS` (as eventbench counts acknowledged events after its warm-up); the
 * latencies, publish to confirm, are the summary's, over the whole run.
 */
export function parsePerfTest(text: string, warmupS: number): Measured {
  const seconds = [...text.matchAll(/time ([\d.]+) s, sent: [\d.]+ msg\/s, confirmed: ([\d.]+) msg\/s/g)]
    // Each line reports the second ending at its time: kept when most of that second is past the warm-up.
    .filter((m) => Number(m[1]) > warmupS + 0.5)
    .map((m) => Number(m[2]));
  if (seconds.length === 0) throw new Error(`PerfTest printed no confirmed msg/s after ${warmupS} s:\n${lastLines(text)}`);
  const rate = seconds.reduce((a, b) => a + b, 0) / seconds.length;
  const confirm = /confirm latency min\/median\/75th\/95th\/99th ([\d./]+) (µs|ms)/.exec(text);
  const values = confirm ? (confirm[1] as string).split("/").map(Number) : [];
  const toMs = (v: number | undefined) => (v === undefined ? null : confirm?.[2] === "ms" ? v : Number((v / 1000).toPrecision(12)));
  return { eventsPerS: rate, p50Ms: toMs(values[1]), p99Ms: toMs(values[4]) };
}

export interface PerfTestRun {
  readonly classpath: string;
  /** amqp:// with the broker's credentials: passed on the child's command line, never printed. */
  readonly uri: string;
  /** A fan-out exchange and a quorum queue bound to it, both named for the run; the caller deletes them. */
  readonly exchange: string;
  readonly queue: string;
  readonly consumers: number;
  readonly prefetch: number;
  /** Publishes in flight unconfirmed at most, on the one producer. */
  readonly confirmWindow: number;
  readonly size: number;
  /** msg/s, or undefined for no limit */
  readonly rate?: number;
  readonly warmupS: number;
  readonly seconds: number;
  readonly timeoutMs: number;
}

/** One producer with publisher confirms, persistent messages, `consumers` competing consumers with manual acks. */
export async function runPerfTest(r: PerfTestRun): Promise<Measured> {
  const args = [
    "-Xmx256m", "-cp", r.classpath, "com.rabbitmq.perf.PerfTest",
    "--uri", r.uri, "--exchange", r.exchange, "--type", "fanout", "--queue", r.queue,
    "--queue-args", "x-queue-type=quorum", "--auto-delete", "false", "--flag", "persistent",
    "--producers", "1", "--consumers", String(r.consumers), "--qos", String(r.prefetch),
    "--confirm", String(r.confirmWindow), "--size", String(r.size), "--time", String(r.warmupS + r.seconds),
    ...(r.rate === undefined ? [] : ["--rate", String(r.rate)]),
  ];
  const out = await runChild("java", args, { timeoutMs: r.timeoutMs });
  const output = `${out.stdout}\n${out.stderr}`.replaceAll(r.uri, "<RABBITMQ_URL>");
  if (out.code !== 0) throw new Error(`PerfTest exited with ${out.code}:\n${lastLines(output)}`);
  return parsePerfTest(output, r.warmupS);
}
