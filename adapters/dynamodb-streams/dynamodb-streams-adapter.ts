import { createRequire } from "node:module";
import {
  CreateTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
  type QueryCommandOutput,
} from "@aws-sdk/client-dynamodb";
import type {
  AdapterCapabilities,
  AdapterFactory,
  AdapterOptions,
  AggregateEvents,
  ConsumerOptions,
  EventConsumer,
  EventHandler,
  EventProducer,
  LagSample,
  StreamAdapter,
  StreamSpec,
  SystemInfo,
} from "../contract/adapter.js";
import { newAdapterCounters } from "./adapter-counters.js";
import { dynamoDbClients, type DynamoDbClients } from "./dynamodb-clients.js";
import { parseDynamoDbSettings, type DynamoDbSettings } from "./dynamodb-settings.js";
import { EVENT_ATTR } from "./event-item.js";
import { EventStoreProducer } from "./event-store-producer.js";
import { deleteTable } from "../aws/delete-table.js";
import { LeaseTables } from "../aws/lease-tables.js";
import { StreamGroupMember } from "./stream-group-member.js";
import { withThrottleRetries } from "../aws/throttle-retry.js";

const packageVersion = (name: string) => (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
const CLIENT = `@aws-sdk/client-dynamodb ${packageVersion("@aws-sdk/client-dynamodb")}, @aws-sdk/client-dynamodb-streams ${packageVersion("@aws-sdk/client-dynamodb-streams")}`;
const NAME = "dynamodb-streams";

const capabilities: AdapterCapabilities = {
  // DynamoDB Streams promises the order of one item's records; each event is its own item
  // (aggregate, version). On DynamoDB Local (one shard) an aggregate's events arrive in version
  // order because the producer writes each aggregate one write at a time, but AWS does not
  // promise it across items, so the verifier measures it instead.
  orderingPerKey: false,
  // Members share the shards by count, but DynamoDB Local has a single shard: a second member of
  // a group stands by instead of sharing the work.
  consumerGroups: false,
  // Each group keeps its own leases and checkpoints on the one stream.
  independentGroups: true,
  // A killed member's leases expire and a survivor re-reads from the persisted checkpoint.
  redeliveryOfUnacked: true,
  // A new group starts at the oldest record the stream keeps (24 hours).
  replay: true,
  optimisticConcurrency: true,
  readAggregate: true,
  exactlyOnce: false,
  // GetRecords says nothing about backlog: the harness counts lag itself.
  systemReportsLag: false,
  retention: true,
  inProcess: false,
};

/**
 * DynamoDB as an event store (pk = aggregate, sk = version) and its change stream as the log; a
 * second table per stream (`<name>-leases`) holds the consumer groups' shard leases and checkpoints.
 */
class DynamoDbStreamsAdapter implements StreamAdapter {
  readonly name = NAME;
  readonly capabilities = capabilities;
  private readonly settings: DynamoDbSettings;
  private clients: DynamoDbClients | undefined;
  private readonly counters = newAdapterCounters();
  private readonly streamArns = new Map<string, string>();
  private readonly leaseTables: LeaseTables;
  /** Streams with a producer, while `unversionedWrites: batch` allows one per stream. */
  private readonly batchProducers = new Set<string>();

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseDynamoDbSettings(NAME, options.settings);
    this.leaseTables = new LeaseTables(() => this.c.tables, this.settings.maxAttempts, this.counters);
  }

  async connect(): Promise<void> {
    this.clients = dynamoDbClients(this.options.endpoint, this.settings);
    await this.c.tables.send(new ListTablesCommand({ Limit: 1 }));
  }

  async info(): Promise<SystemInfo> {
    const server = this.options.endpoint.serverVersion ?? (this.c.isAws ? "Amazon DynamoDB" : "DynamoDB-compatible endpoint (version not reported)");
    return { server, client: `${CLIENT}; streams polled every ${this.settings.pollIntervalMs} ms when idle` };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    await Promise.all([this.createEventTable(stream), ...(groups.length > 0 ? [this.leaseTables.of(stream.name)] : [])]);
  }

  async teardown(stream: StreamSpec): Promise<void> {
    await Promise.all([deleteTable(this.c.tables, stream.name), this.leaseTables.drop(stream.name)]);
    this.streamArns.delete(stream.name);
    this.batchProducers.delete(stream.name);
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    try {
      await this.c.tables.send(new DescribeTableCommand({ TableName: stream.name }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    if (this.settings.unversionedWrites === "batch") {
      // Two producers reserving versions of the same aggregates would overwrite each other's events.
      if (this.batchProducers.has(stream.name)) {
        throw new Error(`${NAME}: unversionedWrites "batch" allows one producer per stream (a second one would overwrite the first one's versions); use producers: 1 or unversionedWrites "conditional"`);
      }
      this.batchProducers.add(stream.name);
    }
    return new EventStoreProducer({
      client: this.c.tables,
      table: stream.name,
      unversionedWrites: this.settings.unversionedWrites,
      maxAttempts: this.settings.maxAttempts,
      counter: this.counters,
    });
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const [streamArn, leases] = await Promise.all([this.streamArn(stream), this.leaseTables.of(stream.name)]);
    const member = new StreamGroupMember({
      streams: this.c.streams,
      streamArn,
      leases,
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

  async readAggregate(stream: StreamSpec, key: string, afterVersion = 0): Promise<AggregateEvents> {
    const events: Uint8Array[] = [];
    let version = afterVersion;
    let start: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page: QueryCommandOutput = await withThrottleRetries(
        () =>
          this.c.tables.send(
            new QueryCommand({
              TableName: stream.name,
              KeyConditionExpression: "#a = :a AND #v > :v",
              ExpressionAttributeNames: { "#a": EVENT_ATTR.aggregate, "#v": EVENT_ATTR.version },
              ExpressionAttributeValues: { ":a": { S: key }, ":v": { N: String(afterVersion) } },
              ConsistentRead: true,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          ),
        this.settings.maxAttempts,
        this.counters,
      );
      for (const item of page.Items ?? []) {
        events.push(item[EVENT_ATTR.payload]?.B ?? new Uint8Array());
        version = Number(item[EVENT_ATTR.version]?.N ?? version);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { key, events, version };
  }

  async close(): Promise<void> {
    this.clients?.tables.destroy();
    this.clients?.streams.destroy();
    this.clients = undefined;
  }

  private async createEventTable(stream: StreamSpec): Promise<void> {
    try {
      await this.c.tables.send(
        new CreateTableCommand({
          TableName: stream.name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: EVENT_ATTR.aggregate, AttributeType: "S" },
            { AttributeName: EVENT_ATTR.version, AttributeType: "N" },
          ],
          KeySchema: [
            { AttributeName: EVENT_ATTR.aggregate, KeyType: "HASH" },
            { AttributeName: EVENT_ATTR.version, KeyType: "RANGE" },
          ],
          StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client: this.c.tables, maxWaitTime: 120 }, { TableName: stream.name });
  }

  private async streamArn(stream: StreamSpec): Promise<string> {
    let arn = this.streamArns.get(stream.name);
    if (!arn) {
      const table = await this.c.tables.send(new DescribeTableCommand({ TableName: stream.name }));
      arn = table.Table?.LatestStreamArn;
      if (!arn) throw new Error(`table ${stream.name} has no stream`);
      this.streamArns.set(stream.name, arn);
    }
    return arn;
  }

  private get c(): DynamoDbClients {
    if (!this.clients) throw new Error(`${NAME} adapter used before connect()`);
    return this.clients;
  }
}

export const dynamoDbStreamsAdapterFactory: AdapterFactory = {
  name: NAME,
  service: "dynamodb",
  capabilities,
  validateSettings: (settings) => void parseDynamoDbSettings(NAME, settings),
  create: (options) => new DynamoDbStreamsAdapter(options),
};
