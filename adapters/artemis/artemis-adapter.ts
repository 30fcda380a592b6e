import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
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
import { ArtemisConnection } from "./artemis-connection.js";
import { ArtemisConsumer } from "./artemis-consumer.js";
import { ArtemisManagement } from "./artemis-management.js";
import { streamNames } from "./artemis-names.js";
import { ArtemisProducer } from "./artemis-producer.js";
import { parseArtemisSettings, type ArtemisSettings } from "./artemis-settings.js";

// rhea's package.json sits one folder above its entry point (lib/container.js).
const RHEA_VERSION = (
  JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve("rhea")), "..", "package.json"), "utf8")) as { version: string }
).version;

const capabilities: AdapterCapabilities = {
  // Message groups (group id = aggregate key): the broker hands all of one key's messages to one
  // member of a group while it lives, in queue order. When that member dies its unsettled messages
  // go back to the queue and its keys to the others, so a redelivered event can come after later ones.
  orderingPerKey: true,
  // Competing consumers on the group's queue: each message goes to one member.
  consumerGroups: true,
  // A multicast address per stream routes a copy of every message to each group's queue.
  independentGroups: true,
  // The broker puts back what a member held unsettled as soon as its connection closes.
  redeliveryOfUnacked: true,
  // A queue forgets what was acknowledged.
  replay: false,
  optimisticConcurrency: false,
  readAggregate: false,
  exactlyOnce: false,
  // The queue's message count (delivered but unsettled included) and its first message's age.
  systemReportsLag: true,
  retention: false,
  inProcess: false,
};

/** ActiveMQ Artemis over AMQP 1.0 (rhea): a multicast address per stream, a durable queue per group (README.md in this folder). */
class ArtemisAdapter implements StreamAdapter {
  readonly name = "artemis";
  readonly capabilities = capabilities;
  private readonly settings: ArtemisSettings;
  private management: ArtemisManagement | undefined;
  private serverVersion = "unknown";
  private readonly counts: ConsumerCounts = { reconnects: 0, redelivered: 0 };

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseArtemisSettings(options.settings);
  }

  async connect(): Promise<void> {
    const probe = await ArtemisConnection.open(this.options.endpoint.url);
    this.serverVersion = probe.serverVersion;
    await probe.close();
    this.management = new ArtemisManagement(this.options.endpoint.url);
  }

  async info(): Promise<SystemInfo> {
    return { server: `artemis ${this.serverVersion}`, client: `rhea ${RHEA_VERSION}` };
  }

  /** The multicast address, then each group's durable queue on it. */
  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    const names = streamNames(stream.name);
    const management = this.admin();
    await management.call({ resource: "broker", operation: "createAddress", args: [names.address, "MULTICAST"] });
    for (const group of groups) {
      const queue = { name: names.groupQueue(group), address: names.address, "routing-type": "MULTICAST", durable: true };
      await management.call({ resource: "broker", operation: "createQueue", args: [JSON.stringify(queue)] });
    }
  }

  /** Deletes the address with its queues (`force`), messages included. */
  async teardown(stream: StreamSpec): Promise<void> {
    if (!(await this.exists(stream))) return;
    await this.admin().call({ resource: "broker", operation: "deleteAddress", args: [streamNames(stream.name).address, true] });
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    const addresses = await this.admin().call({ resource: "broker", attribute: "addressNames" });
    return Array.isArray(addresses) && addresses.includes(streamNames(stream.name).address);
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    return ArtemisProducer.open(this.options.endpoint.url, streamNames(stream.name).address, this.settings.messages === "durable");
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const names = streamNames(stream.name);
    const queue = names.groupQueue(options.group);
    if (!(await this.queuesOf(names.address)).includes(queue)) throw new Error(`consumer group "${options.group}" was not set up on ${stream.name} (no queue ${queue})`);
    return ArtemisConsumer.start({ url: this.options.endpoint.url, source: names.groupSource(options.group), consumer: options, onEvents, credit: this.settings.credit }, this.counts);
  }

  /**
   * The queue's message count (waiting, delivered but unsettled, scheduled and paged) and the age
   * of its first message not yet delivered (from its creation_time). When every message behind
   * is out for delivery, the broker dates none of them: the age is then null, never a guess.
   */
  async lag(stream: StreamSpec, group: string): Promise<LagSample> {
    const resource = `queue.${streamNames(stream.name).groupQueue(group)}`;
    const management = this.admin();
    const events = await management.call({ resource, attribute: "messageCount" });
    if (typeof events !== "number") throw new Error(`the Artemis broker answered ${JSON.stringify(events)} for ${resource} messageCount: expected a number`);
    if (events === 0) return { events: 0, oldestAgeMs: 0 };
    const age = await management.call({ resource, operation: "getFirstMessageAge" });
    return { events, oldestAgeMs: typeof age === "number" ? Math.max(0, age) : null };
  }

  /** Members' reconnections (a broker killed, restarted or frozen past the idle time-out) and redeliveries received. */
  stats(): Readonly<Record<string, number>> {
    return { consumerReconnects: this.counts.reconnects, consumerRedelivered: this.counts.redelivered };
  }

  async close(): Promise<void> {
    await this.management?.close();
    this.management = undefined;
  }

  private async queuesOf(address: string): Promise<readonly string[]> {
    const addresses = await this.admin().call({ resource: "broker", attribute: "addressNames" });
    if (!Array.isArray(addresses) || !addresses.includes(address)) return [];
    const queues = await this.admin().call({ resource: `address.${address}`, attribute: "queueNames" });
    return Array.isArray(queues) ? (queues as string[]) : [];
  }

  private admin(): ArtemisManagement {
    if (!this.management) throw new Error("artemis adapter used before connect()");
    return this.management;
  }
}

export const artemisAdapterFactory: AdapterFactory = {
  name: "artemis",
  service: "artemis",
  capabilities,
  validateSettings: (settings) => void parseArtemisSettings(settings),
  durability: (settings) =>
    parseArtemisSettings(settings).messages === "durable"
      ? { messages: "durable: an append waits for the broker's accepted settlement, given after the journal write is synced" }
      : { messages: "non-durable: settled without a journal write; a broker kill loses them" },
  create: (options) => new ArtemisAdapter(options),
};
