/**
 * eventbench's adapters beside the systems' own benchmark tools, on the same servers in one run:
 * redis-streams against `redis-benchmark` (XADD), kafka and kafkajs against Kafka's
 * ProducerPerformance, nats-jetstream against natscli's `nats bench js pub`, rabbitmq-quorum against
 * RabbitMQ PerfTest. Each pairing runs RUNS
 * times, tool then eventbench, and the table shows medians. Not a test: `npm run bench:peers`.
 *
 *   RUNS=3 DURATION_S=10 npm run bench:peers          # ONLY=redis, kafka, nats or rabbitmq for one system
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { Redis } from "ioredis";
import { connect as connectNats } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect as connectAmqp } from "amqplib";
import { ConfigError, exitCodeOf } from "../harness/errors/errors.js";
import { resolveKafka } from "../adapters/kafka/kafka-distribution.js";
import { startNativeKafka } from "../adapters/kafka/kafka-native-broker.js";
import { startNativeNats } from "../adapters/nats-jetstream/nats-native-server.js";
import { startNativeRabbitmq } from "../adapters/rabbitmq/rabbitmq-native-server.js";
import { startNativeRedis } from "../adapters/redis-streams/redis-native-server.js";
import { runShutdown } from "../harness/environment/shutdown-registry.js";
import { median } from "../harness/measurement/sample-median.js";
import { thisMachine } from "../harness/measurement/harness-ceiling.js";
import {
  NATSCLI_VERSION,
  PERF_TEST_VERSION,
  resolveNatsCli,
  resolvePerfTest,
  runNatsBench,
  runPerfTest,
  runProducerPerformance,
  runRedisBenchmark,
  type Measured,
} from "./native-tools.js";
import { envInt, runScenario } from "./cli-benchmark-run.js";
import { MIN_RUNS_FOR_DOCS, writeGeneratedBlock } from "./benchmarks-doc.js";

const REPO = new URL("../../", import.meta.url).pathname;
const note = (m: string) => process.stderr.write(`${m}\n`);

/** Bad settings stop everything before a server starts, with exit code 2 as the CLI's. */
function setting<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    note(`peer-comparison: ${(error as Error).message}`);
    process.exit(2);
  }
}

const RUNS = setting(() => envInt("RUNS", 3));
const DURATION_S = setting(() => envInt("DURATION_S", 10));
const SYSTEMS = ["redis", "kafka", "nats", "rabbitmq"] as const;
const ONLY = process.env.ONLY || undefined;
if (ONLY !== undefined && !(SYSTEMS as readonly string[]).includes(ONLY)) setting(() => {
  throw new ConfigError("ONLY", `expected ${SYSTEMS.join(", ")}, got ${JSON.stringify(ONLY)}`);
});
const runs = (system: (typeof SYSTEMS)[number]) => ONLY === undefined || ONLY === system;
const WARMUP_S = 3;
/** Producers spread over both cores, as redis-benchmark's and ProducerPerformance's threads are free to. */
const THREADS = { producers: 2, consumers: 1 };
/** batch.size is per partition in the Java client: 4 × 256 KiB is the adapter's 1 MiB per request. */
const KAFKA_PROPS = { acks: "all", "linger.ms": "5", "batch.size": "262144" };
const KAFKA_ADAPTER_SETTINGS = { acks: "all", lingerMs: 5, batchBytes: 1_048_576 };
const KAFKA_RATE = 5_000;
/** A child that takes this much longer than its measured time is stuck. */
const SLACK_MS = 180_000;

/** One row of the table: the tool's way and eventbench's way of doing the same thing. */
interface Pairing {
  readonly system: (typeof SYSTEMS)[number];
  readonly tool: string;
  readonly adapter: string;
  readonly settings: string;
  readonly targetRatio: number;
  /** Flat-out runs queue inside both clients, so their latencies are not put side by side. */
  readonly comparesLatency: boolean;
  readonly scenario: Record<string, unknown>;
  readonly adapterSettings?: Record<string, Record<string, unknown>>;
  /** Once before the pairing's runs, on its own empty server: an unmeasured run of the tool. */
  calibrate?(): Promise<void>;
  native(): Promise<Measured>;
}

interface Service {
  readonly env: Record<string, string>;
  /** Both sides start every run on an empty server. */
  beforeRun(): Promise<void>;
}

function redisPairings(port: number): Pairing[] {
  return [
    { pipeline: 16, clients: 50, comparesLatency: false },
    { pipeline: 1, clients: 50, comparesLatency: false },
    // One request in flight: the round trip alone, at a rate both sustain.
    { pipeline: 1, clients: 1, comparesLatency: true },
  ].map(({ pipeline, clients, comparesLatency }) => {
    let requests: number | undefined;
    const run = (n: number) => runRedisBenchmark({ port, clients, pipeline, requests: n, payloadSize: 256, timeoutMs: DURATION_S * 1000 + SLACK_MS });
    return {
      system: "redis" as const,
      tool: "redis-benchmark",
      adapter: "redis-streams",
      settings: `XADD 256 B, P=${pipeline}, C=${clients}`,
      targetRatio: 0.8,
      comparesLatency,
      // One VU per producer, one producer per connection: C connections with one call of P events
      // outstanding each, as redis-benchmark's C clients each with a pipeline of P.
      scenario: { executor: "constant-vus", vus: clients, producers: clients, batchSize: pipeline, payloadSize: 256, consumerGroups: 0 },
      // redis-benchmark counts requests, not seconds: a short first run (also its warm-up, which
      // it has no option for) sizes the measured runs to about DURATION_S.
      async calibrate() {
        requests = Math.max(10_000, Math.round((await run(pipeline > 1 ? 100_000 : 30_000)).eventsPerS * DURATION_S));
      },
      native: () => run(requests ?? 100_000),
    };
  });
}

function kafkaPairings(bootstrap: string, classpath: string): Pairing[] {
  let topicNo = 0;
  const admin = () => new Kafka({ clientId: "eventbench-peers", brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  const producerPerformance = async (records: number, warmupRecords: number, throughput: number) => {
    const topic = `peers-producer-performance-${++topicNo}`;
    const a = admin();
    await a.connect();
    try {
      await a.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
      return await runProducerPerformance({ classpath, bootstrap, topic, records, warmupRecords, recordSize: 1024, throughput, producerProps: KAFKA_PROPS, timeoutMs: records / Math.max(throughput, 1_000) * 1000 + SLACK_MS });
    } finally {
      await a.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await a.disconnect();
    }
  };
  // ProducerPerformance counts records, not seconds: one unmeasured flat-out run (the JVM's and the
  // broker's warm-up as well) sizes the measured ones to about WARMUP_S + DURATION_S.
  // Both adapters' flat-out pairings share it.
  let flatOutRate: Promise<number> | undefined;
  const calibrateFlatOut = async () => {
    flatOutRate ??= producerPerformance(150_000, 50_000, -1).then((m) => m.eventsPerS);
    await flatOutRate;
  };
  const flatOut = async () => {
    const rate = (await flatOutRate) ?? 50_000;
    return producerPerformance(Math.round(rate * (WARMUP_S + DURATION_S)), Math.round(rate * WARMUP_S), -1);
  };
  const common = { payloadSize: 1024, partitions: 4, keys: 1000, consumerGroups: 0 };
  const adapterSettings = (adapter: string) => ({ [adapter]: KAFKA_ADAPTER_SETTINGS });
  return ["kafka", "kafkajs"].flatMap((adapter): Pairing[] => [
    {
      system: "kafka",
      tool: "ProducerPerformance",
      adapter,
      settings: "1 KiB, acks=all, linger 5 ms, flat out",
      targetRatio: 0.7,
      comparesLatency: false,
      // 8 calls of 500 events in flight, which docs/BENCHMARKS.md found saturates one broker on two
      // cores; over two producers so that `threads` can put one on each producer thread.
      scenario: { executor: "constant-vus", vus: 8, producers: 2, batchSize: 500, ...common },
      adapterSettings: adapterSettings(adapter),
      calibrate: calibrateFlatOut,
      native: flatOut,
    },
    {
      system: "kafka",
      tool: "ProducerPerformance",
      adapter,
      settings: `1 KiB, acks=all, linger 5 ms, ${KAFKA_RATE}/s`,
      targetRatio: 0.7,
      comparesLatency: true,
      // One producer, as ProducerPerformance has.
      scenario: { executor: "constant-arrival-rate", rate: KAFKA_RATE, producers: 1, ...common },
      adapterSettings: adapterSettings(adapter),
      native: () => producerPerformance(KAFKA_RATE * (WARMUP_S + DURATION_S), KAFKA_RATE * WARMUP_S, KAFKA_RATE),
    },
  ]);
}

const NATS_PAYLOAD = 256;

function natsPairings(url: string, binary: string): Pairing[] {
  let streamNo = 0;
  return [
    // One publish in flight, awaiting its PubAck: the round trip alone.
    { mode: "sync" as const, clients: 1, batch: 1, comparesLatency: true },
    // Four publishers with 100 publishes in flight each, awaiting all their PubAcks before the next 100.
    { mode: "async" as const, clients: 4, batch: 100, comparesLatency: false },
  ].map(({ mode, clients, batch, comparesLatency }) => {
    let msgs: number | undefined;
    const run = (n: number) =>
      runNatsBench({ binary, url, mode, clients, batch, msgs: n, size: NATS_PAYLOAD, stream: `peers-nats-bench-${++streamNo}`, timeoutMs: DURATION_S * 1000 + SLACK_MS });
    return {
      system: "nats" as const,
      tool: `nats bench ${NATSCLI_VERSION}`,
      adapter: "nats-jetstream",
      settings: `JetStream publish ${NATS_PAYLOAD} B, file storage, ${mode}${mode === "async" ? ` batch ${batch}` : ""}, clients ${clients}`,
      targetRatio: 0.8,
      comparesLatency,
      // One VU per publisher, each append call `batch` publishes awaited together, as nats bench's
      // clients each with `batch` asynchronous publishes (or one synchronous) outstanding.
      scenario: { executor: "constant-vus", vus: clients, producers: clients, batchSize: batch, payloadSize: NATS_PAYLOAD, consumerGroups: 0 },
      // nats bench counts messages, not seconds: a short first run (its warm-up too) sizes the measured runs.
      async calibrate() {
        msgs = Math.max(5_000, Math.round((await run(mode === "sync" ? 5_000 : 50_000)).eventsPerS * DURATION_S));
      },
      native: () => run(msgs ?? 50_000),
    };
  });
}

/** docs/BENCHMARKS.md's rabbitmq-quorum configuration: 256 B, one producer, one group of two members, prefetch 100. */
const RABBITMQ = { payload: 256, consumers: 2, prefetch: 100, confirmWindow: 64, rate: 1_500 };

function rabbitmqPairings(uri: string, classpath: string, drop: (exchange: string, queue: string) => Promise<void>): Pairing[] {
  let runNo = 0;
  const perfTest = async (rate: number | undefined) => {
    const name = `peers-perf-test-${++runNo}`;
    try {
      return await runPerfTest({
        classpath, uri, exchange: name, queue: `${name}.queue`, consumers: RABBITMQ.consumers, prefetch: RABBITMQ.prefetch,
        confirmWindow: RABBITMQ.confirmWindow, size: RABBITMQ.payload, rate, warmupS: WARMUP_S, seconds: DURATION_S, timeoutMs: (WARMUP_S + DURATION_S) * 1000 + SLACK_MS,
      });
    } finally {
      await drop(name, `${name}.queue`);
    }
  };
  const common = { producers: 1, payloadSize: RABBITMQ.payload, consumerGroups: 1, consumersPerGroup: RABBITMQ.consumers, keys: 100 };
  const adapterSettings = { "rabbitmq-quorum": { prefetch: RABBITMQ.prefetch } };
  const tool = `PerfTest ${PERF_TEST_VERSION}`;
  const shared = `${RABBITMQ.payload} B persistent to a quorum queue, confirms, ${RABBITMQ.consumers} consumers prefetch ${RABBITMQ.prefetch}`;
  return [
    {
      system: "rabbitmq",
      tool,
      adapter: "rabbitmq-quorum",
      // PerfTest's window of unconfirmed publishes on its one producer = as many VUs each with one
      // event in flight on eventbench's one producer (connection, confirm channel).
      settings: `${shared}, ${RABBITMQ.confirmWindow} unconfirmed, flat out`,
      targetRatio: 0.7,
      comparesLatency: false,
      scenario: { executor: "constant-vus", vus: RABBITMQ.confirmWindow, batchSize: 1, ...common },
      adapterSettings,
      calibrate: async () => void (await perfTest(undefined)),
      native: () => perfTest(undefined),
    },
    {
      system: "rabbitmq",
      tool,
      adapter: "rabbitmq-quorum",
      // Half of the 3,000/s the adapter held here (docs/BENCHMARKS.md): confirm latency below saturation.
      settings: `${shared}, ${RABBITMQ.rate}/s`,
      targetRatio: 0.8,
      comparesLatency: true,
      scenario: { executor: "constant-arrival-rate", rate: RABBITMQ.rate, ...common },
      adapterSettings,
      native: () => perfTest(RABBITMQ.rate),
    },
  ];
}

/** One eventbench run of the pairing's scenario against the service, through the CLI as a user runs it. */
async function runEventbench(p: Pairing, service: Service, dir: string, id: string): Promise<Measured & { flagged: boolean }> {
  const threads = p.scenario.producers === 1 ? { producers: 1, consumers: 1 } : THREADS;
  const scenario = { workload: "publish-consume", warmup: `${WARMUP_S}s`, duration: `${DURATION_S}s`, ...p.scenario, threads };
  const entries = await runScenario({
    scenario: { name: id, ...(p.adapterSettings ? { adapterSettings: p.adapterSettings } : {}), scenarios: { peer: scenario } },
    adapter: p.adapter,
    env: "external",
    variables: service.env,
    dir,
    id,
    timeoutMs: (WARMUP_S + DURATION_S) * 1000 + SLACK_MS,
  });
  const entry = entries.find((r) => r.adapter === p.adapter);
  if (!entry) throw new Error(`eventbench run ${id}: no ${p.adapter} entry; see ${join(dir, id)}`);
  // Both tools time a request from their send call to its reply: eventbench's service time, which
  // with one event per call is per event. Throughput pairings show publish latency (closed loop:
  // from the send; open loop: from the intended send time).
  const latency = p.comparesLatency ? entry.latency.service : entry.latency.publish;
  return { eventsPerS: entry.throughput.acked, p50Ms: latency.p50, p99Ms: latency.p99, flagged: entry.harness.flagged };
}

interface Row {
  readonly p: Pairing;
  readonly native: Measured;
  readonly eventbench: Measured;
  readonly flaggedRuns: number;
  /** Every run's events/s, tool and eventbench, to show the spread behind the medians. */
  readonly runs: { native: number[]; eventbench: number[] };
}

const medianOf = (ms: Measured[], k: keyof Measured) => median(ms.map((m) => m[k]).filter((v): v is number => v !== null));

async function runPairings(pairings: Pairing[], service: Service, dir: string, rows: Row[]): Promise<void> {
  for (const [i, p] of pairings.entries()) {
    const natives: Measured[] = [];
    const ours: Measured[] = [];
    let flaggedRuns = 0;
    if (p.calibrate) {
      await service.beforeRun();
      await p.calibrate();
    }
    for (let run = 1; run <= RUNS; run++) {
      note(`${p.tool} vs ${p.adapter}, ${p.settings}: run ${run}/${RUNS}`);
      await service.beforeRun();
      natives.push(await p.native());
      await service.beforeRun();
      const m = await runEventbench(p, service, dir, `${p.system}-${i + 1}-${p.adapter}-${run}`);
      if (m.flagged) flaggedRuns++;
      ours.push(m);
      note(`  ${p.tool} ${fmtRate(natives.at(-1)?.eventsPerS)} events/s, ${p.adapter} ${fmtRate(m.eventsPerS)} events/s`);
    }
    const summary = (ms: Measured[]): Measured => ({ eventsPerS: medianOf(ms, "eventsPerS") ?? 0, p50Ms: medianOf(ms, "p50Ms"), p99Ms: medianOf(ms, "p99Ms") });
    const rates = (ms: Measured[]) => ms.map((m) => m.eventsPerS);
    rows.push({ p, native: summary(natives), eventbench: summary(ours), flaggedRuns, runs: { native: rates(natives), eventbench: rates(ours) } });
  }
}

async function compareRedis(workDir: string, rows: Row[]): Promise<void> {
  const server = await startNativeRedis({ workDir });
  const client = new Redis(server.port, "127.0.0.1", { lazyConnect: true });
  try {
    note(`redis-server ${server.version} on 127.0.0.1:${server.port}`);
    await client.connect();
    await runPairings(redisPairings(server.port), { env: { REDIS_URL: server.endpoint.url }, beforeRun: async () => void (await client.flushall()) }, workDir, rows);
  } finally {
    client.disconnect();
    await server.stop();
  }
}

async function compareKafka(workDir: string, rows: Row[]): Promise<void> {
  const classpath = join((await resolveKafka(note)).libDir, "*");
  const broker = await startNativeKafka({ workDir });
  try {
    note(`Kafka ${broker.version} on ${broker.endpoint.url}`);
    await runPairings(kafkaPairings(broker.endpoint.url, classpath), { env: { KAFKA_BROKERS: broker.endpoint.url }, beforeRun: async () => {} }, workDir, rows);
  } finally {
    await broker.stop();
    // Deleted topics' segments stay until the broker gets round to them; the broker is gone now.
    await rm(join(workDir, `kafka-${broker.port}`, "data"), { recursive: true, force: true });
  }
}

async function compareNats(workDir: string, rows: Row[]): Promise<void> {
  const binary = await resolveNatsCli(note);
  const server = await startNativeNats({ workDir });
  const admin = await connectNats({ servers: `127.0.0.1:${server.port}` });
  try {
    note(`nats-server ${server.version} on ${server.endpoint.url}, persistence ${JSON.stringify(server.persistence)}`);
    const jsm = await jetstreamManager(admin);
    // The server is this script's own: every run starts with no stream on it.
    const empty = async () => {
      for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
    };
    await runPairings(natsPairings(server.endpoint.url, binary), { env: { NATS_URL: server.endpoint.url }, beforeRun: empty }, workDir, rows);
  } finally {
    await admin.close();
    await server.stop();
  }
}

async function compareRabbitmq(workDir: string, rows: Row[]): Promise<void> {
  const classpath = await resolvePerfTest(note);
  const broker = await startNativeRabbitmq({ workDir });
  const admin = await connectAmqp(broker.endpoint.url);
  try {
    note(`RabbitMQ ${broker.version} on ${broker.endpoint.display}`);
    const channel = await admin.createChannel();
    const drop = async (exchange: string, queue: string) => {
      await channel.deleteQueue(queue);
      await channel.deleteExchange(exchange);
    };
    // eventbench's runs delete what they created; PerfTest's are dropped after each of its runs.
    await runPairings(rabbitmqPairings(broker.endpoint.url, classpath, drop), { env: { RABBITMQ_URL: broker.endpoint.url }, beforeRun: async () => {} }, workDir, rows);
  } finally {
    await admin.close();
    await broker.stop();
  }
}

const fmtRate = (v: number | undefined) => (v === undefined ? "?" : Math.round(v).toLocaleString("en-US"));
/** ProducerPerformance prints whole ms: no decimals it does not have. */
const fmtMs = (v: number | null) => (v === null ? "n/a" : Number.isInteger(v) ? String(v) : v < 10 ? v.toFixed(2) : v.toFixed(1));

function table(rows: Row[]): string {
  const lines = [
    "| system | settings | native tool events/s | eventbench events/s | ratio | target ratio | native p50 / p99 ms | eventbench p50 / p99 ms | p50 within 20% |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const { p, native, eventbench, flaggedRuns } of rows) {
    const ratio = eventbench.eventsPerS / native.eventsPerS;
    const within = native.p50Ms !== null && eventbench.p50Ms !== null ? Math.abs(eventbench.p50Ms - native.p50Ms) <= 0.2 * native.p50Ms : null;
    const flag = flaggedRuns ? ` (${flaggedRuns}/${RUNS} runs flagged)` : "";
    lines.push(
      `| ${p.system}: ${p.tool} vs ${p.adapter} | ${p.settings} | ${fmtRate(native.eventsPerS)} | ${fmtRate(eventbench.eventsPerS)}${flag} | ${ratio.toFixed(2)} | ≥ ${p.targetRatio} ${ratio >= p.targetRatio ? "(met)" : "(not met)"} | ${fmtMs(native.p50Ms)} / ${fmtMs(native.p99Ms)} | ${fmtMs(eventbench.p50Ms)} / ${fmtMs(eventbench.p99Ms)} | ${!p.comparesLatency ? "— (throughput pairing)" : within === null ? "n/a" : within ? "yes" : "no"} |`,
    );
  }
  return lines.join("\n");
}


async function main(): Promise<void> {
  const started = Date.now();
  const workDir = await mkdtemp(join(tmpdir(), "eventbench-peers-"));
  note(`servers' logs and eventbench's runs in ${workDir}`);
  const rows: Row[] = [];
  if (runs("redis")) await compareRedis(workDir, rows);
  if (runs("kafka")) await compareKafka(workDir, rows);
  if (runs("nats")) await compareNats(workDir, rows);
  if (runs("rabbitmq")) await compareRabbitmq(workDir, rows);

  const command = `${["RUNS", "DURATION_S", "ONLY"].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`).join(" ")} npm run bench:peers`.trim();
  const body = table(rows);
  const figures = [
    `- date: ${new Date().toISOString().slice(0, 10)}`,
    `- machine: ${thisMachine()} (servers, tools and eventbench share the CPUs)`,
    `- command: \`${command}\``,
    `- RUNS: ${RUNS} (medians shown), DURATION_S: ${DURATION_S}, eventbench warm-up ${WARMUP_S} s, eventbench producer threads: ${THREADS.producers} (1 for the single-producer pairings)`,
    `- total time: ${((Date.now() - started) / 1000).toFixed(0)} s`,
    "",
    body,
    "",
    "Events/s of each run (tool; eventbench):",
    "",
    ...rows.map(({ p, runs }) => `- ${p.adapter}, ${p.settings}: ${runs.native.map(fmtRate).join(" / ")}; ${runs.eventbench.map(fmtRate).join(" / ")}`),
    "",
    "Events/s: redis-benchmark's requests/s (one XADD = one event); ProducerPerformance's records/s; nats bench's msgs/sec; PerfTest's confirmed msg/s after the warm-up; eventbench's acknowledged events/s.",
    "eventbench latencies: in the latency pairings (C=1, 5000/s, 1500/s), service time, send call → acknowledgement of one event, as the tools time theirs;",
    "in the throughput pairings, publish latency (closed loop: per append call of P events).",
    "redis-benchmark's are per request; ProducerPerformance's run from its send call, whole ms, steady state after its warm-up records;",
    "nats bench's are per operation (one synchronous publish, or one batch of asynchronous ones); PerfTest's rate is its confirmed msg/s averaged over the seconds after the warm-up, its latencies the confirm latency (publish to confirm) of its whole run, warm-up included (it has no option to leave it out).",
    "A flagged run is one where eventbench reports the harness may have been its own bottleneck.",
  ].join("\n");
  const resultsDir = join(REPO, "results");
  await mkdir(resultsDir, { recursive: true });
  const path = join(resultsDir, `peers-${new Date().toISOString().replace(/[:.]/g, "-")}.md`);
  await writeFile(path, `# eventbench beside the systems' own benchmark tools\n\n${figures}\n\nRuns kept in ${workDir}\n`);
  process.stdout.write(`${body}\n\nwritten to ${path}\n`);
  if (ONLY === undefined && RUNS >= MIN_RUNS_FOR_DOCS) process.stdout.write(`and to ${await writeGeneratedBlock("bench:peers", figures)}\n`);
  else process.stdout.write(`docs/BENCHMARKS.md not updated: it takes every system and RUNS ≥ ${MIN_RUNS_FOR_DOCS}\n`);
}

const onSignal = (signal: NodeJS.Signals) => {
  note(`\n${signal}: stopping the tools and servers`);
  void runShutdown().finally(() => process.exit(130));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
try {
  await main();
} catch (error) {
  note(`peer-comparison: ${(error as Error).message}`);
  process.exitCode = exitCodeOf(error);
} finally {
  await runShutdown((label, e) => note(`cleanup "${label}" failed: ${(e as Error).message}`));
}
