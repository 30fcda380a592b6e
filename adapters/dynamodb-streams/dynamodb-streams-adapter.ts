import { createRequire } from "node:module";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  QueryCommand,
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
import { dynamoDbClients, type DynamoDbClients } from "./dynamodb-clients.js";
import { parseDynamoDbSettings, type DynamoDbSettings } from "./dynamodb-settings.js";
import { ATTR, EventStoreProducer } from "./event-store-producer.js";
import { ShardLeases } from "./shard-leases.js";
import { StreamGroupMember } from "./stream-group-member.js";
import { withThrottleRetries, type RetryCounter } from "./throttle-retry.js";

const SDK_VERSION = (createRequire(import.meta.url)("@aws-sdk/client-dynamodb/package.json") as { version: string }).version;
const NAME = "dynamodb-streams";

const capabilities: AdapterCapabilities = {
  // DynamoDB Streams orders the records of one item; each event is its own item (aggregate,
  // version), so the order of one aggregate's events is not promised: the verifier measures it.
  orderingPerKey: false,
  // No consumer groups: members of a group split the shards (leases in this adapter instance),
  // and DynamoDB Local has a single shard, so a second member has nothing to read.
  consumerGroups: false,
  // A member that dies leaves its shard to the next member, from the last acknowledged record.
  redeliveryOfUnacked: true,
  replay: true,
  optimisticConcurrency: true,
  readAggregate: true,
  exactlyOnce: false,
  // GetRecords says nothing about backlog: the harness counts lag itself.
  systemReportsLag: false,
  retention: true,
  inProcess: false,
};

/** DynamoDB as an event store (pk = aggregate, sk = version) and its change stream as the log. */
class DynamoDbStreamsAdapter implements StreamAdapter {
  readonly name = NAME;
  readonly capabilities = capabilities;
  private readonly settings: DynamoDbSettings;
  private clients: DynamoDbClients | undefined;
  private readonly leases = new Map<string, ShardLeases>();
  private readonly streamArns = new Map<string, string>();
  /** Throttled requests retried by this instance (ProvisionedThroughputExceeded and the like). */
  readonly retries: RetryCounter & { expiredIterators: number; readErrors: number } = { throttled: 0, expiredIterators: 0, readErrors: 0 };

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseDynamoDbSettings(NAME, options.settings);
  }

  async connect(): Promise<void> {
    this.clients = dynamoDbClients(this.options.endpoint, this.settings);
    await this.c.tables.send(new ListTablesCommand({ Limit: 1 }));
  }

  async info(): Promise<SystemInfo> {
    return {
      server: this.options.endpoint.serverVersion ?? "DynamoDB (version not reported)",
      client: `@aws-sdk/client-dynamodb ${SDK_VERSION}, stream polled every ${this.settings.pollIntervalMs} ms when idle`,
    };
  }

  async setup(stream: StreamSpec): Promise<void> {
    if (!(await this.exists(stream))) {
      await this.c.tables.send(
        new CreateTableCommand({
          TableName: stream.name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: ATTR.key, AttributeType: "S" },
            { AttributeName: ATTR.version, AttributeType: "N" },
          ],
          KeySchema: [
            { AttributeName: ATTR.key, KeyType: "HASH" },
            { AttributeName: ATTR.version, KeyType: "RANGE" },
          ],
          StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
        }),
      );
      await waitUntilTableExists({ client: this.c.tables, maxWaitTime: 120 }, { TableName: stream.name });
    }
  }

  async teardown(stream: StreamSpec): Promise<void> {
    try {
      await this.c.tables.send(new DeleteTableCommand({ TableName: stream.name }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    this.streamArns.delete(stream.name);
    this.leases.delete(stream.name);
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
    return new EventStoreProducer(this.c.tables, stream.name, this.settings.maxAttempts, this.retries);
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const leaseKey = `${stream.name}/${options.group}`;
    let leases = this.leases.get(leaseKey);
    if (!leases) {
      leases = new ShardLeases();
      this.leases.set(leaseKey, leases);
    }
    const member = new StreamGroupMember({
      client: this.c.streams,
      streamArn: await this.streamArn(stream),
      leases,
      options,
      pollIntervalMs: this.settings.pollIntervalMs,
      maxAttempts: this.settings.maxAttempts,
      retries: this.retries,
      onEvents,
    });
    member.start();
    return member;
  }

  stats(): Readonly<Record<string, number>> {
    return { throttledRetries: this.retries.throttled, expiredIteratorsRenewed: this.retries.expiredIterators, streamReadErrors: this.retries.readErrors };
  }

  async lag(): Promise<LagSample> {
    return { events: null, oldestAgeMs: null };
  }

  async readAggregate(stream: StreamSpec, key: string): Promise<AggregateEvents> {
    const events: Uint8Array[] = [];
    let start: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page: QueryCommandOutput = await withThrottleRetries(
        () =>
          this.c.tables.send(
            new QueryCommand({
              TableName: stream.name,
              KeyConditionExpression: "pk = :k",
              ExpressionAttributeValues: { ":k": { S: key } },
              ConsistentRead: true,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          ),
        this.settings.maxAttempts,
        this.retries,
      );
      for (const item of page.Items ?? []) events.push(item[ATTR.payload]?.B ?? new Uint8Array());
      start = page.LastEvaluatedKey;
    } while (start);
    return { key, events, version: events.length };
  }

  async close(): Promise<void> {
    this.clients?.tables.destroy();
    this.clients?.streams.destroy();
    this.clients = undefined;
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
