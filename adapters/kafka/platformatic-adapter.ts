import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Admin, Consumer, Producer, ProduceAcks } from "@platformatic/kafka";
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
import { explainConnectFailure, kafkaConnection, platformaticConnectionOptions, type KafkaConnection, type PlatformaticConnectionOptions } from "./kafka-connection.js";
import { kafkaGroupId } from "./kafka-group-id.js";
import { kafkaLag } from "./kafka-lag.js";
import { parseKafkaSettings, kafkaDurability, type KafkaSettings } from "./kafka-settings.js";
import { LingeringEventProducer } from "./linger-batcher.js";
import { PlatformaticGroupMember } from "./platformatic-group-member.js";

/** The package exports no package.json: read it beside the resolved entry point (dist/index.js). */
const CLIENT_VERSION = (
  JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve("@platformatic/kafka")), "..", "package.json"), "utf8")) as { version: string }
).version;
const NAME = "kafka";
/** ListOffsets' special timestamps. */
const EARLIEST = -2n;

/**
 * The `kafka` adapter, on @platformatic/kafka: pure TypeScript, maintained, and the fastest Node
 * client measured here (docs/BENCHMARKS.md). The other Kafka adapters (`kafkajs`) share its
 * settings, semantics and lag, so they compare client against client.
 */
class PlatformaticKafkaAdapter implements StreamAdapter {
  readonly name = NAME;
  readonly capabilities = kafkaCapabilities;
  private readonly settings: KafkaSettings;
  /** bootstrapBrokers, TLS and SASL: every client of this adapter connects with them. */
  private readonly connection: PlatformaticConnectionOptions;
  private readonly kafkaConnection: KafkaConnection;
  private adminClient: Admin | undefined;
  /** OffsetFetch runs as the group asked about: one idle (never joined) client per group. */
  private readonly offsetReaders = new Map<string, Consumer>();
  private readonly groups = new Map<string, readonly string[]>();

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseKafkaSettings(NAME, options.settings);
    this.kafkaConnection = kafkaConnection(options.endpoint);
    this.connection = platformaticConnectionOptions(this.kafkaConnection);
  }

  async connect(): Promise<void> {
    const admin = new Admin({ clientId: "eventbench-admin", ...this.connection, retries: 3 });
    await admin.listTopics().catch(async (error: unknown) => {
      await admin.close().catch(() => undefined);
      throw explainConnectFailure(error, this.kafkaConnection);
    });
    this.adminClient = admin;
  }

  async info(): Promise<SystemInfo> {
    return { server: `kafka ${this.options.endpoint.serverVersion ?? "version not reported by the protocol"}`, client: `@platformatic/kafka ${CLIENT_VERSION}` };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    this.groups.set(stream.name, groups);
    if (await this.exists(stream)) return;
    await this.admin.createTopics({ topics: [stream.name], partitions: stream.partitions });
    await this.waitForLeaders(stream);
  }

  async teardown(stream: StreamSpec): Promise<void> {
    const groups = this.groups.get(stream.name) ?? [];
    if (groups.length) await this.admin.deleteGroups({ groups: groups.map((g) => kafkaGroupId(stream.name, g)) }).catch(() => undefined);
    for (const [groupId, reader] of this.offsetReaders) {
      if (!groupId.startsWith(kafkaGroupId(stream.name, ""))) continue;
      this.offsetReaders.delete(groupId);
      await reader.close().catch(() => undefined);
    }
    if (!(await this.exists(stream))) return;
    await this.admin.deleteTopics({ topics: [stream.name] });
    await awaitTopicDeletion(() => this.exists(stream));
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    return (await this.admin.listTopics()).includes(stream.name);
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    const producer = new Producer<Buffer, Buffer, Buffer, Buffer>({
      clientId: "eventbench-producer",
      ...this.connection,
      idempotent: this.settings.idempotent,
      compression: this.settings.compression,
    });
    const acks = this.settings.acks === -1 ? ProduceAcks.ALL : this.settings.acks === 1 ? ProduceAcks.LEADER : ProduceAcks.NO_RESPONSE;
    return new LingeringEventProducer(
      async (events) => {
        await producer.send({
          acks,
          messages: events.map((e) => ({ topic: stream.name, key: Buffer.from(e.key), value: Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength) })),
        });
      },
      this.settings,
      () => producer.close(),
    );
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const member = new PlatformaticGroupMember(this.connection, stream.name, options, this.settings, onEvents);
    await member.start();
    return member;
  }

  async lag(stream: StreamSpec, group: string): Promise<LagSample> {
    const reader = this.offsetReader(kafkaGroupId(stream.name, group));
    const topics = [stream.name];
    const high = (await reader.listOffsets({ topics })).get(stream.name) ?? [];
    const low = (await reader.listOffsets({ topics, timestamp: EARLIEST })).get(stream.name) ?? [];
    const partitions = high.map((_, p) => p);
    const committed = (await reader.listCommittedOffsets({ topics: [{ topic: stream.name, partitions }] })).get(stream.name) ?? [];
    return kafkaLag(
      new Map(committed.map((o, p) => [p, Number(o)])),
      high.map((h, p) => ({ partition: p, low: Number(low[p] ?? 0n), high: Number(h) })),
      async (t) => {
        const found = (await reader.listOffsets({ topics, timestamp: BigInt(t) })).get(stream.name) ?? [];
        // -1: no record at or after t, i.e. "the end of the partition"
        return new Map(found.map((o, p) => [p, o < 0n ? Number(high[p] ?? 0n) : Number(o)]));
      },
    );
  }

  async close(): Promise<void> {
    for (const reader of this.offsetReaders.values()) await reader.close().catch(() => undefined);
    this.offsetReaders.clear();
    await this.adminClient?.close();
    this.adminClient = undefined;
  }

  private offsetReader(groupId: string): Consumer {
    let reader = this.offsetReaders.get(groupId);
    if (!reader) {
      reader = new Consumer({ clientId: "eventbench-lag", ...this.connection, groupId });
      this.offsetReaders.set(groupId, reader);
    }
    return reader;
  }

  /** CreateTopics returns before every partition has a leader; producing earlier would fail. */
  private async waitForLeaders(stream: StreamSpec): Promise<void> {
    const reader = this.offsetReader(kafkaGroupId(stream.name, "setup"));
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        const offsets = (await reader.listOffsets({ topics: [stream.name] })).get(stream.name) ?? [];
        if (offsets.length === stream.partitions) return;
      } catch {
        // leaders not elected yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private get admin(): Admin {
    if (!this.adminClient) throw new Error(`${NAME} adapter used before connect()`);
    return this.adminClient;
  }
}

export const platformaticKafkaAdapterFactory: AdapterFactory = {
  name: NAME,
  service: "kafka",
  capabilities: kafkaCapabilities,
  validateSettings: (settings) => void parseKafkaSettings(NAME, settings),
  durability: (settings) => kafkaDurability(NAME, settings),
  create: (options) => new PlatformaticKafkaAdapter(options),
};
