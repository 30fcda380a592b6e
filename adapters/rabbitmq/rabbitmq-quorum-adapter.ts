import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Channel } from "amqplib";
import { ConfigError } from "../../harness/errors/errors.js";
import type {
  AdapterCapabilities,
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
import type { ConsumerCounts } from "../contract/consumer-counts.js";
import { AmqpConnection } from "./amqp-connection.js";
import { RabbitmqQuorumConsumer } from "./rabbitmq-quorum-consumer.js";
import { RabbitmqQuorumProducer } from "./rabbitmq-quorum-producer.js";
import { streamNames } from "./rabbitmq-names.js";

// amqplib's exports do not list package.json: read it beside its entry point.
const AMQPLIB_VERSION = (
  JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve("amqplib")), "package.json"), "utf8")) as { version: string }
).version;

const capabilities: AdapterCapabilities = {
  // A queue is FIFO: one member receives one producer's events in publish order. Members are not
  // pinned to keys, so with several members one key's events are processed by several at once
  // (the verifier counts what that reorders), and a redelivered event comes after later ones.
  orderingPerKey: true,
  // Competing consumers on the group's queue: each message goes to one member.
  consumerGroups: true,
  // A fanout exchange per stream gives each group's queue every event.
  independentGroups: true,
  // The broker requeues what a member held unacknowledged as soon as its connection closes.
  redeliveryOfUnacked: true,
  // A queue forgets what was acknowledged (replay is the rabbitmq-stream adapter's).
  replay: false,
  optimisticConcurrency: false,
  readAggregate: false,
  exactlyOnce: false,
  // Not yet: the broker tells ready and unacknowledged counts only through management statistics
  // emitted every few seconds, and no age of the oldest message for a quorum queue; the harness
  // counts lag itself meanwhile (README.md in this folder).
  systemReportsLag: false,
  retention: false,
  inProcess: false,
};

interface RabbitmqQuorumSettings {
  /** Unacknowledged messages the broker lets each member hold (basic.qos per consumer). */
  readonly prefetch: number;
}

const SETTINGS_EXPECTED = "prefetch (integer 1..65535)";

function parseSettings(settings: Readonly<Record<string, unknown>> = {}): RabbitmqQuorumSettings {
  const at = (field: string) => `adapter settings: rabbitmq-quorum.${field}`;
  for (const key of Object.keys(settings)) {
    if (key !== "prefetch") throw new ConfigError(at(key), `unknown setting; expected ${SETTINGS_EXPECTED}`);
  }
  const { prefetch = 100 } = settings;
  if (!Number.isInteger(prefetch) || (prefetch as number) < 1 || (prefetch as number) > 65_535) {
    throw new ConfigError(at("prefetch"), `expected an integer from 1 to 65535, got ${JSON.stringify(prefetch)}`);
  }
  return { prefetch: prefetch as number };
}

/** The broker's answer to a passive declare or get of something that is not there. */
const isNotFound = (error: unknown) => (error as { code?: number }).code === 404;

/** RabbitMQ quorum queues over AMQP 0.9.1: an exchange per stream, a quorum queue per group (README.md in this folder). */
class RabbitmqQuorumAdapter implements StreamAdapter {
  readonly name = "rabbitmq-quorum";
  readonly capabilities = capabilities;
  private readonly settings: RabbitmqQuorumSettings;
  private admin: AmqpConnection | undefined;
  private readonly counts: ConsumerCounts = { reconnects: 0, redelivered: 0 };

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseSettings(options.settings);
  }

  async connect(): Promise<void> {
    this.admin = await AmqpConnection.open(this.options.endpoint.url);
  }

  async info(): Promise<SystemInfo> {
    return { server: `rabbitmq ${(await this.connection()).serverVersion}`, client: `amqplib ${AMQPLIB_VERSION}` };
  }

  /**
   * The registry first (so a teardown after a failed setup still finds the groups), then the
   * exchange and each group's quorum queue bound to it.
   */
  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    const names = streamNames(stream.name);
    const channel = await (await this.connection()).model.createConfirmChannel();
    try {
      await channel.assertQueue(names.registry, { durable: true });
      for (const group of groups) channel.sendToQueue(names.registry, Buffer.from(group), { persistent: true });
      await channel.waitForConfirms();
      await channel.assertExchange(names.exchange, "fanout", { durable: true });
      for (const group of groups) {
        const queue = names.groupQueue(group);
        await channel.assertQueue(queue, { durable: true, arguments: { "x-queue-type": "quorum" } });
        await channel.bindQueue(queue, names.exchange, "");
      }
    } finally {
      await channel.close().catch(() => {});
    }
  }

  async teardown(stream: StreamSpec): Promise<void> {
    const names = streamNames(stream.name);
    const groups = await this.onChannel(async (channel) => {
      const found = new Set<string>();
      // Not acknowledged: the messages go with the registry when it is deleted below.
      for (let m = await channel.get(names.registry, { noAck: false }); m; m = await channel.get(names.registry, { noAck: false })) found.add(m.content.toString());
      return found;
    }, new Set<string>());
    await this.onChannel(async (channel) => {
      for (const group of groups) await channel.deleteQueue(names.groupQueue(group));
      await channel.deleteQueue(names.registry);
      await channel.deleteExchange(names.exchange);
    }, undefined);
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    const names = streamNames(stream.name);
    return this.onChannel(async (channel) => {
      await channel.checkExchange(names.exchange);
      return true;
    }, false);
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    return RabbitmqQuorumProducer.open(this.options.endpoint.url, streamNames(stream.name).exchange);
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const queue = streamNames(stream.name).groupQueue(options.group);
    const present = await this.onChannel(async (channel) => Boolean(await channel.checkQueue(queue)), false);
    if (!present) throw new Error(`consumer group "${options.group}" was not set up on ${stream.name} (no queue ${queue})`);
    return RabbitmqQuorumConsumer.start({ url: this.options.endpoint.url, queue, consumer: options, onEvents, prefetch: this.settings.prefetch }, this.counts);
  }

  async lag(): Promise<LagSample> {
    return { events: null, oldestAgeMs: null };
  }

  /** Members' reconnections (a broker paused past the heartbeat, killed or restarted) and redeliveries received. */
  stats(): Readonly<Record<string, number>> {
    return { consumerReconnects: this.counts.reconnects, consumerRedelivered: this.counts.redelivered };
  }

  async close(): Promise<void> {
    await this.admin?.close();
    this.admin = undefined;
  }

  /**
   * Runs `work` on a channel of its own: the broker answers a missing queue or exchange by
   * closing the channel (404), which then means `notFound`, not an error.
   */
  private async onChannel<T>(work: (channel: Channel) => Promise<T>, notFound: T): Promise<T> {
    const channel = await (await this.connection()).model.createChannel();
    channel.on("error", () => {});
    try {
      return await work(channel);
    } catch (error) {
      if (isNotFound(error)) return notFound;
      throw error;
    } finally {
      await channel.close().catch(() => {});
    }
  }

  /** The admin connection, opened again when the broker dropped it (killed, restarted). */
  private async connection(): Promise<AmqpConnection> {
    if (!this.admin) throw new Error("rabbitmq-quorum adapter used before connect()");
    if (this.admin.broken) this.admin = await AmqpConnection.open(this.options.endpoint.url);
    return this.admin;
  }
}

export const rabbitmqQuorumAdapterFactory: AdapterFactory = {
  name: "rabbitmq-quorum",
  service: "rabbitmq",
  capabilities,
  validateSettings: (settings) => void parseSettings(settings),
  durability: () => ({ queue: "quorum", confirms: "publisher confirms: an append waits for every event's", deliveryMode: "persistent" }),
  create: (options) => new RabbitmqQuorumAdapter(options),
};
