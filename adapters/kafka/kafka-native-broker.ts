import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Kafka, logLevel } from "kafkajs";
import { freePort } from "../../harness/environment/free-port.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import { EnvironmentError } from "../../harness/errors/errors.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { resolveKafka } from "./kafka-distribution.js";

const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 90_000;
/** Not `__`: Kafka keeps that prefix for its own topics. */
const PROBE_TOPIC = `eventbench-ready-${randomBytes(4).toString("hex")}`;

export interface NativeKafkaHandle extends ServiceHandle {
  readonly port: number;
}

/** One KRaft node, broker and controller, on loopback only (the quickstart's server.properties, trimmed). */
function serverProperties(brokerPort: number, controllerPort: number, dataDir: string): string {
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
    "controller.listener.names=CONTROLLER",
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "inter.broker.listener.name=PLAINTEXT",
    `log.dirs=${dataDir}`,
    "num.partitions=1",
    "auto.create.topics.enable=false",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=4",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    "",
  ].join("\n");
}

/** Broker logs to stdout, which NativeProcess writes into the run folder. */
const LOG4J2 = [
  "status = warn",
  "appender.out.type = Console",
  "appender.out.name = out",
  "appender.out.target = SYSTEM_OUT",
  "appender.out.layout.type = PatternLayout",
  "appender.out.layout.pattern = [%d] %p %m (%c)%n",
  "rootLogger.level = info",
  "rootLogger.appenderRef.out.ref = out",
  "logger.kafka.name = kafka",
  "logger.kafka.level = info",
  "logger.state.name = state.change.logger",
  "logger.state.level = warn",
  "",
].join("\n");

/**
 * Produces one record with acks=all and fetches it back through a consumer group. The connection
 * check fails at once while the port is closed; after that the client retries, because the first
 * group lookup on a new broker waits for the offsets topic to be created.
 */
async function acceptsProduceAndFetch(bootstrap: string): Promise<boolean> {
  const quick = new Kafka({ clientId: "eventbench-ready", brokers: [bootstrap], logLevel: logLevel.NOTHING, connectionTimeout: 1_000, retry: { retries: 0 } });
  const admin = quick.admin();
  try {
    await admin.connect();
    if (!(await admin.listTopics()).includes(PROBE_TOPIC)) {
      await admin.createTopics({ topics: [{ topic: PROBE_TOPIC, numPartitions: 1 }], waitForLeaders: true });
    }
  } finally {
    await admin.disconnect().catch(() => {});
  }
  // A group per attempt: an attempt that timed out may have left its group's offsets behind.
  const group = `${PROBE_TOPIC}-${randomBytes(4).toString("hex")}`;
  const answered = await producesAndFetches(bootstrap, group);
  if (answered) await deleteProbe(quick, group);
  return answered;
}

/** The probe's topic and group go once the broker has answered: readiness leaves nothing behind. */
async function deleteProbe(kafka: Kafka, group: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [PROBE_TOPIC] });
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function producesAndFetches(bootstrap: string, group: string): Promise<boolean> {
  const patient = new Kafka({ clientId: "eventbench-ready", brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1_000 } });
  const producer = patient.producer({ allowAutoTopicCreation: false });
  const consumer = patient.consumer({ groupId: group });
  try {
    await producer.connect();
    await producer.send({ topic: PROBE_TOPIC, acks: -1, messages: [{ value: "ready" }] });
    await consumer.connect();
    await consumer.subscribe({ topic: PROBE_TOPIC, fromBeginning: true });
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 20_000);
      consumer.on(consumer.events.CRASH, () => {
        clearTimeout(timer);
        resolve(false);
      });
      void consumer.run({
        eachMessage: async () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
  }
}

/**
 * Apache Kafka in KRaft mode as a local process: storage formatted in the run folder, broker and
 * controller on free loopback ports, ready once it accepts a produce and a fetch.
 */
export async function startNativeKafka(options: ServiceStartOptions): Promise<NativeKafkaHandle> {
  const dist = await resolveKafka();
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dir = join(options.workDir, `kafka-${port}`);
  const dataDir = join(dir, "data");
  await mkdir(dataDir, { recursive: true });
  const props = join(dir, "server.properties");
  const log4j = join(dir, "log4j2.properties");
  await writeFile(props, serverProperties(port, controllerPort, dataDir));
  await writeFile(log4j, LOG4J2);
  const classpath = join(dist.libDir, "*");
  // A leading "-" would read as a flag to kafka-storage (as Kafka's own Uuid.randomUuid avoids).
  const clusterId = randomBytes(16).toString("base64url").replace(/^-/, "A");
  try {
    await execFileAsync("java", ["-cp", classpath, `-Dlog4j2.configurationFile=${log4j}`, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props]);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new EnvironmentError("java is not on PATH: the native Kafka provider needs Java 17 or newer");
    throw new EnvironmentError(`formatting Kafka storage failed: ${(e.stderr ?? e.message).trim().split("\n").slice(-3).join(" ")}`);
  }
  const logFile = join(options.workDir, `kafka-${port}.log`);
  const bootstrap = `127.0.0.1:${port}`;
  const server = await NativeServer.start(
    {
      label: `kafka :${port}`,
      command: "java",
      args: ["-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true", `-Dlog4j2.configurationFile=${log4j}`, "-cp", classpath, "kafka.Kafka", props],
      logFile,
    },
    () => acceptsProduceAndFetch(bootstrap),
    READY_TIMEOUT_MS,
  );
  return {
    kind: "kafka",
    endpoint: { url: bootstrap, display: bootstrap, provider: "native", serverVersion: dist.version },
    version: dist.version,
    logFile,
    owned: true,
    control: server,
    // One broker: nothing is replicated, and Kafka leaves fsync to the OS page cache by default.
    persistence: { brokers: "1", replicationFactor: "1", "log.flush.interval.messages": "unset (OS page cache)" },
    port,
    stop: () => server.stop(),
  };
}
