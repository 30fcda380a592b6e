import { createRequire } from "node:module";
import { Kafka, logLevel, CompressionTypes, type Admin } from "kafkajs";
import type {
  AdapterFactory,
  AdapterOptions,
  ConsumerOptions,
  EventConsumer,
  EventHandler,
  EventProducer,
  LagSample,
  StreamAdapter,
  StreamSpec,
  SystemInfo,
} from "../contract/adapter.js";
import { awaitTopicDeletion } from "./await-topic-deletion.js";
import { kafkaCapabilities } from "./kafka-capabilities.js";
import { explainConnectFailure, kafkaConnection, kafkajsConnectionOptions, type KafkaConnection } from "./kafka-connection.js";
import { KafkajsGroupMember } from "./kafkajs-group-member.js";
import { sendPerPartition } from "./kafkajs-send-per-partition.js";
import { LingeringEventProducer } from "./linger-batcher.js";
import { parseKafkaSettings, kafkaDurability, type KafkaSettings } from "./kafka-settings.js";
import { kafkaGroupId } from "./kafka-group-id.js";
import { kafkaLag } from "./kafka-lag.js";

const KAFKAJS_VERSION = (createRequire(import.meta.url)("kafkajs/package.json") as { version: string }).version;
const NAME = "kafkajs";

/**
 * The Kafka adapter on kafkajs, kept beside `kafka` (@platformatic/kafka) for comparison with the
 * most used Node client, which is no longer maintained (`unmaintained` below says so wherever it
 * is shown). Same settings, semantics and lag as the other Kafka adapters.
 */
class KafkajsAdapter implements StreamAdapter {
  readonly name = NAME;
  readonly capabilities = kafkaCapabilities;
  private readonly settings: KafkaSettings;
  private readonly kafka: Kafka;
  private readonly connection: KafkaConnection;
  private adminClient: Admin | undefined;
  private readonly groups = new Map<string, readonly string[]>();

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseKafkaSettings(NAME, options.settings);
    this.connection = kafkaConnection(options.endpoint);
    this.kafka = new Kafka({
      clientId: "eventbench",
      ...kafkajsConnectionOptions(this.connection),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
  }

  async connect(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect().catch((error: unknown) => {
      throw explainConnectFailure(error, this.connection);
    });
    this.adminClient = admin;
  }

  async info(): Promise<SystemInfo> {
    const cluster = await this.admin.describeCluster();
    const version = this.options.endpoint.serverVersion ?? "version not reported by the protocol";
    return { server: `kafka ${version} (${cluster.brokers.length} broker${cluster.brokers.length === 1 ? "" : "s"})`, client: `kafkajs ${KAFKAJS_VERSION}` };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    // Groups need no creation: they appear when their first member joins, reading from the start.
    this.groups.set(stream.name, groups);
    if (await this.exists(stream)) return;
    await this.admin.createTopics({ topics: [{ topic: stream.name, numPartitions: stream.partitions }], waitForLeaders: true });
  }

  async teardown(stream: StreamSpec): Promise<void> {
    const groups = this.groups.get(stream.name) ?? [];
    if (groups.length) await this.admin.deleteGroups(groups.map((g) => kafkaGroupId(stream.name, g))).catch(() => undefined);
    if (!(await this.exists(stream))) return;
    await this.admin.deleteTopics({ topics: [stream.name] });
    await awaitTopicDeletion(() => this.exists(stream));
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    return (await this.admin.listTopics()).includes(stream.name);
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    const producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: this.settings.idempotent,
      ...(this.settings.maxInFlight > 0 ? { maxInFlightRequests: this.settings.maxInFlight } : {}),
    });
    await producer.connect();
    const [metadata] = (await this.admin.fetchTopicMetadata({ topics: [stream.name] })).topics;
    if (!metadata) throw new Error(`kafkajs: no metadata for topic ${stream.name}`);
    const send = sendPerPartition(producer, metadata.partitions);
    const compression = this.settings.compression === "gzip" ? CompressionTypes.GZIP : CompressionTypes.None;
    return new LingeringEventProducer(
      async (events) => {
        await send({
          topic: stream.name,
          acks: this.settings.acks,
          compression,
          messages: events.map((e) => ({ key: e.key, value: Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength) })),
        });
      },
      this.settings,
      () => producer.disconnect(),
    );
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const member = new KafkajsGroupMember(this.kafka, stream.name, options, this.settings, onEvents);
    await member.start();
    return member;
  }

  async lag(stream: StreamSpec, group: string): Promise<LagSample> {
    const [committedTopic] = await this.admin.fetchOffsets({ groupId: kafkaGroupId(stream.name, group), topics: [stream.name] });
    const ends = await this.admin.fetchTopicOffsets(stream.name);
    return kafkaLag(
      new Map((committedTopic?.partitions ?? []).map((p) => [p.partition, Number(p.offset)])),
      ends.map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) })),
      async (t) => new Map((await this.admin.fetchTopicOffsetsByTimestamp(stream.name, t)).map((o) => [o.partition, Number(o.offset)])),
    );
  }

  async close(): Promise<void> {
    await this.adminClient?.disconnect();
    this.adminClient = undefined;
  }

  private get admin(): Admin {
    if (!this.adminClient) throw new Error(`${NAME} adapter used before connect()`);
    return this.adminClient;
  }
}

export const kafkajsAdapterFactory: AdapterFactory = {
  name: NAME,
  unmaintained: "kafkajs: no release since 2.2.4 (February 2023), maintainers wanted (tulios/kafkajs#1603)",
  service: "kafka",
  capabilities: kafkaCapabilities,
  validateSettings: (settings) => void parseKafkaSettings(NAME, settings),
  durability: (settings) => kafkaDurability(NAME, settings),
  create: (options) => new KafkajsAdapter(options),
};
