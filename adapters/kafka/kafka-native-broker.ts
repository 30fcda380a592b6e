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
import { resolveKafka, type KafkaDistribution } from "./kafka-distribution.js";
import { KafkaClusterControl } from "./kafka-cluster-control.js";
import { prepareKafkaSecurity, SECURE_LISTENER, type KafkaNativeSecurity, type SecurePorts } from "./kafka-native-security.js";
import { kafkaCluster, type KafkaCluster } from "./kafka-server-settings.js";

const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 90_000;
/** Not `__`: Kafka keeps that prefix for its own topics. */
const PROBE_TOPIC = `eventbench-ready-${randomBytes(4).toString("hex")}`;

export interface NativeKafkaHandle extends ServiceHandle {
  /** The first broker's client port. */
  readonly port: number;
  /** With `security: sasl-ssl`: the CA, the user and the client file the endpoint names. */
  readonly security?: KafkaNativeSecurity;
  /** With `security: sasl-ssl`: the mutual-TLS listeners (SSL, a client certificate from the CA required). */
  readonly mutualTlsBootstrap?: string;
}

/** One KRaft node (broker and controller) of the cluster: its ports, files and process. */
export interface KafkaNode {
  readonly id: number;
  readonly port: number;
  readonly controllerPort: number;
  /** The PLAINTEXT listener: readiness, replication and fault control use it. */
  readonly bootstrap: string;
  /** With `security: sasl-ssl`: the SASL_SSL listener's port (the endpoint clients get) and the mutual-TLS one's. */
  readonly securePorts?: SecurePorts;
  readonly dir: string;
  readonly logFile: string;
}

/**
 * A KRaft node, broker and controller, on loopback only (the quickstart's server.properties,
 * trimmed). Kafka's own topics and the default for new ones get the cluster's replication.
 */
function serverProperties(node: KafkaNode, nodes: readonly KafkaNode[], cluster: KafkaCluster, security: KafkaNativeSecurity | undefined): string {
  const secured = security && node.securePorts ? security.listenersOf(node.securePorts) : undefined;
  const secure = secured ? `,${secured.listeners.join(",")}` : "";
  const lines = [
    "process.roles=broker,controller",
    `node.id=${node.id}`,
    `controller.quorum.voters=${nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(",")}`,
    `listeners=PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}${secure}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${node.port}${secure}`,
    "controller.listener.names=CONTROLLER",
    `listener.security.protocol.map=${["PLAINTEXT:PLAINTEXT", "CONTROLLER:PLAINTEXT", ...(secured?.protocolMap ?? [])].join(",")}`,
    "inter.broker.listener.name=PLAINTEXT",
    `log.dirs=${join(node.dir, "data")}`,
    "num.partitions=1",
    "auto.create.topics.enable=false",
    `default.replication.factor=${cluster.replicationFactor}`,
    `min.insync.replicas=${cluster.minInsyncReplicas}`,
    `offsets.topic.replication.factor=${cluster.replicationFactor}`,
    "offsets.topic.num.partitions=4",
    `transaction.state.log.replication.factor=${cluster.replicationFactor}`,
    `transaction.state.log.min.isr=${cluster.minInsyncReplicas}`,
    "group.initial.rebalance.delay.ms=0",
    ...(secured?.lines ?? []),
  ];
  // Several JVMs share the machine with the load generator: fewer threads than Kafka's defaults
  // (3 network, 8 I/O, 10 background), which are sized for a server of its own.
  if (nodes.length > 1) lines.push("num.network.threads=2", "num.io.threads=2", "background.threads=2");
  return [...lines, ""].join("\n");
}

/**
 * One broker keeps the heap it always had; a cluster's heaps are small enough that three JVMs fit
 * beside the harness on 2 cores, and GC and JIT threads are limited for the same reason.
 */
function jvmOptions(brokers: number): string[] {
  if (brokers === 1) return ["-Xms256m", "-Xmx1g", "-XX:+UseG1GC"];
  return ["-Xms128m", "-Xmx384m", "-XX:+UseG1GC", "-XX:ParallelGCThreads=1", "-XX:ConcGCThreads=1", "-XX:CICompilerCount=2"];
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

const quickClient = (bootstraps: readonly string[]) =>
  new Kafka({ clientId: "eventbench-ready", brokers: [...bootstraps], logLevel: logLevel.NOTHING, connectionTimeout: 1_000, retry: { retries: 0 } });

/** A node is up once the metadata it serves lists it as a broker (registered with the controller quorum, unfenced). */
async function nodeRegistered(node: KafkaNode): Promise<boolean> {
  const admin = quickClient([node.bootstrap]).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.some((b) => b.nodeId === node.id);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * The cluster is ready when every broker is in the metadata, a probe topic with the cluster's
 * replication has every replica in sync, and a record produced with acks=all is fetched back
 * through a consumer group. The connection check fails at once while the ports are closed; after
 * that the client retries, because the first group lookup waits for the offsets topic to be created.
 */
async function clusterReady(nodes: readonly KafkaNode[], cluster: KafkaCluster): Promise<boolean> {
  const bootstraps = nodes.map((n) => n.bootstrap);
  const quick = quickClient(bootstraps);
  const admin = quick.admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    if (!nodes.every((n) => brokers.some((b) => b.nodeId === n.id))) return false;
    if (!(await admin.listTopics()).includes(PROBE_TOPIC)) {
      await admin.createTopics({ topics: [{ topic: PROBE_TOPIC, numPartitions: 1, replicationFactor: cluster.replicationFactor }], waitForLeaders: true });
    }
    const [topic] = (await admin.fetchTopicMetadata({ topics: [PROBE_TOPIC] })).topics;
    if (topic?.partitions.some((p) => p.isr.length < cluster.replicationFactor) !== false) return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
  // A group per attempt: an attempt that timed out may have left its group's offsets behind.
  const group = `${PROBE_TOPIC}-${randomBytes(4).toString("hex")}`;
  const answered = await producesAndFetches(bootstraps, group);
  if (answered) await deleteProbe(quick, group);
  return answered;
}

/** The probe's topic and group go once the cluster has answered: readiness leaves nothing behind. */
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

async function producesAndFetches(bootstraps: readonly string[], group: string): Promise<boolean> {
  const patient = new Kafka({ clientId: "eventbench-ready", brokers: [...bootstraps], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1_000 } });
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

/** Client and controller ports (and the secured listeners' ports) for every node, none handed out twice. */
async function allocateNodes(workDir: string, brokers: number, secure: boolean): Promise<KafkaNode[]> {
  const perNode = secure ? 4 : 2;
  const ports = new Set<number>();
  while (ports.size < brokers * perNode) ports.add(await freePort());
  const [...all] = ports;
  return Array.from({ length: brokers }, (_, i) => {
    const port = all[perNode * i] as number;
    return {
      id: i + 1,
      port,
      controllerPort: all[perNode * i + 1] as number,
      ...(secure ? { securePorts: { saslSsl: all[perNode * i + 2] as number, mutualTls: all[perNode * i + 3] as number } } : {}),
      bootstrap: `127.0.0.1:${port}`,
      dir: join(workDir, `kafka-${port}`),
      logFile: join(workDir, `kafka-${port}.log`),
    };
  });
}

/** Writes a node's configuration and formats its storage with the cluster's id. */
async function formatNode(dist: KafkaDistribution, node: KafkaNode, nodes: readonly KafkaNode[], cluster: KafkaCluster, clusterId: string, security: KafkaNativeSecurity | undefined): Promise<void> {
  await mkdir(join(node.dir, "data"), { recursive: true });
  await writeFile(join(node.dir, "server.properties"), serverProperties(node, nodes, cluster, security));
  await writeFile(join(node.dir, "log4j2.properties"), LOG4J2);
  try {
    await execFileAsync("java", ["-cp", join(dist.libDir, "*"), `-Dlog4j2.configurationFile=${join(node.dir, "log4j2.properties")}`, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", join(node.dir, "server.properties"), ...(security?.formatArgs ?? [])]);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new EnvironmentError("java is not on PATH: the native Kafka provider needs Java 17 or newer");
    throw new EnvironmentError(`formatting Kafka storage of node ${node.id} failed: ${(e.stderr ?? e.message).trim().split("\n").slice(-3).join(" ")}`);
  }
}

function startNode(dist: KafkaDistribution, node: KafkaNode, cluster: KafkaCluster, security: KafkaNativeSecurity | undefined, ready: () => Promise<boolean>): Promise<NativeServer> {
  return NativeServer.start(
    {
      label: cluster.brokers === 1 ? `kafka :${node.port}` : `kafka node ${node.id} :${node.port}`,
      command: "java",
      args: [...jvmOptions(cluster.brokers), ...(security?.jvmArgs ?? []), "-Djava.awt.headless=true", `-Dlog4j2.configurationFile=${join(node.dir, "log4j2.properties")}`, "-cp", join(dist.libDir, "*"), "kafka.Kafka", join(node.dir, "server.properties")],
      logFile: node.logFile,
    },
    ready,
    READY_TIMEOUT_MS,
  );
}

/**
 * Apache Kafka in KRaft mode as local processes: `services.kafka.brokers` nodes (one by default),
 * each broker and controller, storage formatted in the run folder, on free loopback ports; ready
 * once every broker is in the metadata and a replicated probe topic accepts a produce and a fetch.
 */
export async function startNativeKafka(options: ServiceStartOptions): Promise<NativeKafkaHandle> {
  const cluster = kafkaCluster(options.settings);
  const dist = await resolveKafka();
  const security = cluster.security === "sasl-ssl" ? await prepareKafkaSecurity() : undefined;
  const nodes = await allocateNodes(options.workDir, cluster.brokers, security !== undefined);
  // A leading "-" would read as a flag to kafka-storage (as Kafka's own Uuid.randomUuid avoids).
  const clusterId = randomBytes(16).toString("base64url").replace(/^-/, "A");
  await Promise.all(nodes.map((node) => formatNode(dist, node, nodes, cluster, clusterId, security)));
  const ready = () => clusterReady(nodes, cluster);
  // One node is ready when the cluster is; in a cluster each node is up once it has registered
  // (it cannot before a quorum of controllers runs, so all start together), and the cluster after.
  const started = await Promise.allSettled(nodes.map((node) => startNode(dist, node, cluster, security, nodes.length === 1 ? ready : () => nodeRegistered(node))));
  const servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  const control = new KafkaClusterControl(nodes, servers, ready, READY_TIMEOUT_MS);
  const stop = async () => {
    await control.stop();
    await security?.remove();
  };
  if (failed) {
    await stop();
    throw failed.reason;
  }
  if (nodes.length > 1) await control.waitUntilReady().catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  const bootstrap = nodes.map((n) => (n.securePorts ? `127.0.0.1:${n.securePorts.saslSsl}` : n.bootstrap)).join(",");
  const first = nodes[0] as KafkaNode;
  return {
    kind: "kafka",
    endpoint: { url: bootstrap, display: bootstrap, provider: "native", serverVersion: dist.version, ...(security ? { clientConfig: security.clientConfigFile } : {}) },
    version: dist.version,
    logFile: first.logFile,
    owned: true,
    control: nodes.length === 1 ? (servers[0] as NativeServer) : control,
    // Kafka leaves fsync to the OS page cache by default: a write is safe once enough replicas have it.
    persistence: {
      brokers: String(cluster.brokers),
      replicationFactor: String(cluster.replicationFactor),
      ...(cluster.brokers > 1 ? { "min.insync.replicas": String(cluster.minInsyncReplicas) } : {}),
      "log.flush.interval.messages": "unset (OS page cache)",
      ...(security ? { security: `${SECURE_LISTENER} (SCRAM-SHA-512, TLS with a CA made at start)` } : {}),
    },
    port: first.port,
    ...(security ? { security, mutualTlsBootstrap: nodes.map((n) => `127.0.0.1:${n.securePorts?.mutualTls}`).join(",") } : {}),
    stop,
  };
}
