import { createRequire } from "node:module";
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  ListStreamsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilStreamExists,
  waitUntilStreamNotExists,
} from "@aws-sdk/client-kinesis";
import { LeaseTables } from "../aws/lease-tables.js";
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
import { kinesisClients, type KinesisClients } from "./kinesis-clients.js";
import { newKinesisCounters } from "./kinesis-counters.js";
import { KinesisGroupMember } from "./kinesis-group-member.js";
import { KinesisProducer, MAX_PUT_RECORDS } from "./kinesis-producer.js";
import { parseKinesisSettings, type KinesisSettings } from "./kinesis-settings.js";

const packageVersion = (name: string) => (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
const CLIENT = `@aws-sdk/client-kinesis ${packageVersion("@aws-sdk/client-kinesis")} (leases: @aws-sdk/client-dynamodb ${packageVersion("@aws-sdk/client-dynamodb")})`;
const NAME = "kinesis";
/** CreateStream and DeleteStream take seconds on AWS (CREATING, DELETING); kinesalite here answers at once. */
const STREAM_WAIT_S = 120;

const capabilities: AdapterCapabilities = {
  // A key is a partition key: its records go to one shard, which one member of a group reads at a time, in order.
  orderingPerKey: true,
  // Members share the shards by count through their leases (a member above its share hands the
  // surplus over once it is acknowledged); a group has at most as many busy members as shards.
  consumerGroups: true,
  // Each group keeps its own leases and checkpoints on the one stream.
  independentGroups: true,
  // A killed member's leases expire and a survivor re-reads from the persisted checkpoint.
  redeliveryOfUnacked: true,
  // A new group starts at the oldest record the stream keeps (TRIM_HORIZON; 24 hours by default).
  replay: true,
  optimisticConcurrency: false,
  readAggregate: false,
  exactlyOnce: false,
  // Kinesis cannot count the records between a checkpoint and the tip: the harness counts lag itself.
  systemReportsLag: false,
  retention: true,
  inProcess: false,
};

/**
 * A Kinesis data stream per stream, one shard per partition, the aggregate as partition key; a
 * DynamoDB table beside it (`<name>-leases`) holds the consumer groups' shard leases and
 * checkpoints, as the Kinesis Client Library keeps them.
 */
class KinesisAdapter implements StreamAdapter {
  readonly name = NAME;
  readonly capabilities = capabilities;
  private readonly settings: KinesisSettings;
  private clients: KinesisClients | undefined;
  private readonly counters = newKinesisCounters();
  private readonly leaseTables: LeaseTables;

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseKinesisSettings(NAME, options.settings);
    this.leaseTables = new LeaseTables(() => this.c.leases, this.settings.maxAttempts, this.counters);
  }

  async connect(): Promise<void> {
    this.clients = kinesisClients(this.options.endpoint.url, { maxSockets: this.settings.maxSockets });
    await this.c.kinesis.send(new ListStreamsCommand({ Limit: 1 }));
  }

  async info(): Promise<SystemInfo> {
    const server = this.options.endpoint.serverVersion ?? (this.c.isAws ? "Amazon Kinesis Data Streams" : "Kinesis-compatible endpoint (version not reported)");
    return { server, client: `${CLIENT}; shards polled every ${this.settings.pollIntervalMs} ms when idle` };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    await Promise.all([this.createStream(stream), ...(groups.length > 0 ? [this.leaseTables.of(stream.name)] : [])]);
  }

  async teardown(stream: StreamSpec): Promise<void> {
    await Promise.all([this.deleteStream(stream.name), this.leaseTables.drop(stream.name)]);
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    try {
      await this.c.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream.name }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    return new KinesisProducer({ client: this.c.kinesis, streamName: stream.name, maxAttempts: this.settings.maxAttempts, counters: this.counters });
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const member = new KinesisGroupMember({
      client: this.c.kinesis,
      streamName: stream.name,
      leases: await this.leaseTables.of(stream.name),
      options,
      pollIntervalMs: this.settings.pollIntervalMs,
      maxAttempts: this.settings.maxAttempts,
      counters: this.counters,
      onEvents,
    });
    member.start();
    return member;
  }

  /** Read by the harness after every interval (as deltas) into the result's `adapterStats`. */
  stats(): Readonly<Record<string, number>> {
    return { ...this.counters };
  }

  async lag(): Promise<LagSample> {
    return { events: null, oldestAgeMs: null };
  }

  async close(): Promise<void> {
    this.clients?.kinesis.destroy();
    this.clients?.leases.destroy();
    this.clients = undefined;
  }

  private async createStream(stream: StreamSpec): Promise<void> {
    try {
      await this.c.kinesis.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: Math.max(1, stream.partitions) }));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilStreamExists({ client: this.c.kinesis, maxWaitTime: STREAM_WAIT_S, minDelay: 1 }, { StreamName: stream.name });
  }

  /** On AWS a deleted stream is DELETING for a while; `exists` must not see it afterwards. */
  private async deleteStream(name: string): Promise<void> {
    try {
      await this.c.kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    await waitUntilStreamNotExists({ client: this.c.kinesis, maxWaitTime: STREAM_WAIT_S, minDelay: 1 }, { StreamName: name });
  }

  private get c(): KinesisClients {
    if (!this.clients) throw new Error(`${NAME} adapter used before connect()`);
    return this.clients;
  }
}

export const kinesisAdapterFactory: AdapterFactory = {
  name: NAME,
  service: "kinesis",
  capabilities,
  maxAppendBatch: MAX_PUT_RECORDS,
  leftOutOfDefaultRuns:
    "kinesalite acknowledged the quickstart's 300 events/s at a publish p50 of 5.0 s and held 83 of fan-out's 200/s here, and held at most 100 events/s in publish-consume alone (2-core machine at load 19-24, 2026-12-03, docs/BENCHMARKS.md)",
  validateSettings: (settings) => void parseKinesisSettings(NAME, settings),
  create: (options) => new KinesisAdapter(options),
};
