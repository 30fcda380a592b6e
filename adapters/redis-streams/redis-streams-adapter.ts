import { ConfigError } from "../../harness/errors/errors.js";
import type {
  AdapterCapabilities,
  AdapterFactory,
  AdapterOptions,
  AggregateEvents,
  AppendResult,
  ConsumerOptions,
  EventConsumer,
  EventHandler,
  EventProducer,
  LagSample,
  OutgoingEvent,
  StreamAdapter,
  StreamSpec,
  SystemInfo,
} from "../contract/adapter.js";
import { EventStoreAppender } from "./event-store-append.js";
import { eventStoreKeys, versionId } from "./event-store-keys.js";
import { AS_BUFFERS, closeRedis, connectRedis, failure, NODE_REDIS_VERSION, type RedisCommand, type RedisConnection } from "./redis-connection.js";
import { RedisStreamConsumer } from "./redis-stream-consumer.js";
import { FIELDS, idTimeMs, parseGroups } from "./stream-replies.js";

const capabilities: AdapterCapabilities = {
  orderingPerKey: true,
  // XREADGROUP hands each entry to one member; members are not pinned to keys, so one key's
  // events can be processed by several members at once (the verifier counts what that reorders).
  consumerGroups: true,
  // One XGROUP per group on the same stream.
  independentGroups: true,
  redeliveryOfUnacked: true,
  replay: true,
  // Both only with the setting eventStore (see capabilitiesWith): they cost a script and a second
  // XADD per event, which a plain publish-consume run must not pay.
  optimisticConcurrency: false,
  readAggregate: false,
  exactlyOnce: false,
  systemReportsLag: true,
  retention: true,
  inProcess: false,
};

const eventStoreCapabilities: AdapterCapabilities = { ...capabilities, optimisticConcurrency: true, readAggregate: true };

interface RedisStreamsSettings {
  /** Approximate MAXLEN trimming on every XADD; 0 keeps everything. */
  readonly maxLen: number;
  /** How long a blocking XREADGROUP waits before looping (bounds how fast a consumer closes). */
  readonly blockMs: number;
  /**
   * Appends go through a Lua script that checks an expected version per aggregate and also XADDs
   * each event to the aggregate's own stream: optimistic concurrency and aggregate reads, at the
   * price of a script and a second XADD per event. Off unless a workload needs it.
   */
  readonly eventStore: boolean;
}

const SETTINGS_EXPECTED = "maxLen (integer ≥ 0), blockMs (integer 1..10000), eventStore (boolean)";

function parseSettings(settings: Readonly<Record<string, unknown>> = {}): RedisStreamsSettings {
  const at = (field: string) => `adapter settings: redis-streams.${field}`;
  for (const key of Object.keys(settings)) {
    // autoPipelining was ioredis's: node-redis always sends the commands of one event-loop turn in one write.
    if (key === "autoPipelining") throw new ConfigError(at(key), `no longer a setting: on node-redis every append's commands go out in one write; expected ${SETTINGS_EXPECTED}`);
    if (!["maxLen", "blockMs", "eventStore"].includes(key)) throw new ConfigError(at(key), `unknown setting; expected ${SETTINGS_EXPECTED}`);
  }
  const { maxLen = 0, blockMs = 500, eventStore = false } = settings;
  if (typeof eventStore !== "boolean") throw new ConfigError(at("eventStore"), `expected true or false, got ${JSON.stringify(eventStore)}`);
  if (!Number.isInteger(maxLen) || (maxLen as number) < 0) throw new ConfigError(at("maxLen"), `expected an integer ≥ 0, got ${JSON.stringify(maxLen)}`);
  if (!Number.isInteger(blockMs) || (blockMs as number) < 1 || (blockMs as number) > 10_000) {
    throw new ConfigError(at("blockMs"), `expected an integer from 1 to 10000, got ${JSON.stringify(blockMs)}`);
  }
  return { maxLen: maxLen as number, blockMs: blockMs as number, eventStore };
}

class RedisStreamProducer implements EventProducer {
  private readonly eventStore: EventStoreAppender | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly stream: string,
    private readonly maxLen: number,
    eventStore: boolean,
  ) {
    if (eventStore) this.eventStore = new EventStoreAppender(redis, stream, maxLen);
  }

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    if (this.eventStore) return this.eventStore.append(events);
    const trim = this.maxLen > 0 ? ["MAXLEN", "~", String(this.maxLen)] : [];
    const xadd = (e: OutgoingEvent): RedisCommand => [
      "XADD", this.stream, ...trim, "*", FIELDS.key, e.key, FIELDS.payload, Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength),
    ];
    // node-redis writes the commands of one event-loop turn together: a batch is one write, a
    // pipeline whose replies come back in order.
    try {
      await Promise.all(events.map((e) => this.redis.sendCommand(xadd(e))));
    } catch (error) {
      throw failure(this.redis, error);
    }
    return { appended: events.length, conflicts: [] };
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }
}

class RedisStreamsAdapter implements StreamAdapter {
  readonly name = "redis-streams";
  readonly capabilities: AdapterCapabilities;
  private readonly settings: RedisStreamsSettings;
  private admin: RedisConnection | undefined;
  private readonly consumers: RedisStreamConsumer[] = [];

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseSettings(options.settings);
    this.capabilities = this.settings.eventStore ? eventStoreCapabilities : capabilities;
  }

  async connect(): Promise<void> {
    this.admin = await connectRedis(this.options.endpoint.url);
  }

  async info(): Promise<SystemInfo> {
    const text = String(await this.redis.sendCommand(["INFO", "server"]));
    const version = /redis_version:([^\r\n]+)/.exec(text)?.[1] ?? "unknown";
    return { server: `redis ${version}`, client: `node-redis ${NODE_REDIS_VERSION}` };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    if (groups.length === 0) {
      // A stream exists only with an entry or a group: add one and trim it away.
      await this.redis.sendCommand(["XADD", stream.name, "MAXLEN", "0", "*", "init", "1"]);
    }
    for (const group of groups) {
      try {
        await this.redis.sendCommand(["XGROUP", "CREATE", stream.name, group, "0", "MKSTREAM"]);
      } catch (error) {
        if (!String((error as Error).message).includes("BUSYGROUP")) throw error;
      }
    }
  }

  async teardown(stream: StreamSpec): Promise<void> {
    await this.redis.sendCommand(["DEL", stream.name]);
    await this.deleteEventStore(stream);
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    const keys = eventStoreKeys(stream.name);
    return Number(await this.redis.sendCommand(["EXISTS", stream.name, keys.versions, keys.aggregates])) > 0;
  }

  /** Reads the aggregate's stream and its version in one MULTI, so an append cannot fall between them. */
  async readAggregate(stream: StreamSpec, key: string, afterVersion = 0): Promise<AggregateEvents> {
    if (!this.settings.eventStore) throw new Error("redis-streams reads aggregates back only with the setting eventStore: true");
    const keys = eventStoreKeys(stream.name);
    // By hand rather than multi(): node-redis 6.3.1 decodes EXEC's reply as UTF-8 whatever the
    // type mapping, which would corrupt binary payloads. Queued in one synchronous block, nothing
    // of this connection's other callers falls between MULTI and EXEC.
    const r = this.redis;
    const [, , , exec] = await Promise.all([
      r.sendCommand(["MULTI"]),
      r.sendCommand(["XRANGE", keys.aggregate(key), afterVersion > 0 ? `(${versionId(afterVersion)}` : "-", "+"]),
      r.sendCommand(["HGET", keys.versions, key]),
      r.sendCommand(["EXEC"], AS_BUFFERS),
    ]);
    const [entries, version] = exec as unknown as [[Buffer, Buffer[]][], Buffer | null];
    const events = entries.map(([, fields]) => fields[1] as Buffer);
    return { key, events, version: Math.max(afterVersion, Number(version?.toString() ?? 0)) };
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    const connection = await connectRedis(this.options.endpoint.url);
    return new RedisStreamProducer(connection, stream.name, this.settings.maxLen, this.settings.eventStore);
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const reader = await connectRedis(this.options.endpoint.url);
    const commands = await connectRedis(this.options.endpoint.url);
    const consumer = RedisStreamConsumer.start({ reader, commands, stream: stream.name, options, blockMs: this.settings.blockMs, onEvents });
    this.consumers.push(consumer);
    return consumer;
  }

  /** Read errors (a server paused, restarting) and consumer groups created again after a restart lost them. */
  stats(): Readonly<Record<string, number>> {
    return {
      consumerReadErrors: this.consumers.reduce((n, c) => n + c.errors, 0),
      consumerGroupsRecreated: this.consumers.reduce((n, c) => n + c.groupsRecreated, 0),
    };
  }

  async lag(stream: StreamSpec, group: string): Promise<LagSample> {
    const info = parseGroups(await this.redis.sendCommand(["XINFO", "GROUPS", stream.name])).find((g) => g.name === group);
    if (!info) throw new Error(`consumer group "${group}" does not exist on ${stream.name}`);
    if (info.lag === null) return { events: null, oldestAgeMs: null };
    const events = info.lag + info.pending;
    if (events === 0) return { events: 0, oldestAgeMs: 0 };
    // Oldest unacknowledged = the oldest pending entry or the first undelivered one. Its age comes
    // from the entry id, i.e. the server's clock: on a remote server, clock skew enters here.
    const candidates: string[] = [];
    if (info.pending > 0) {
      const summary = (await this.redis.sendCommand(["XPENDING", stream.name, group])) as [number, string | null];
      if (summary[1]) candidates.push(summary[1]);
    }
    if (info.lag > 0) {
      const next = (await this.redis.sendCommand(["XRANGE", stream.name, `(${info.lastDeliveredId}`, "+", "COUNT", "1"])) as [string, unknown][];
      if (next[0]) candidates.push(next[0][0]);
    }
    const oldest = Math.min(...candidates.map(idTimeMs));
    return { events, oldestAgeMs: candidates.length ? Math.max(0, Date.now() - oldest) : null };
  }

  async close(): Promise<void> {
    if (this.admin) await closeRedis(this.admin);
    this.admin = undefined;
  }

  /** The per-aggregate streams, the versions hash and the set that lists the aggregates. */
  private async deleteEventStore(stream: StreamSpec): Promise<void> {
    const keys = eventStoreKeys(stream.name);
    const aggregates = (await this.redis.sendCommand(["SMEMBERS", keys.aggregates])) as string[];
    for (let i = 0; i < aggregates.length; i += 1000) {
      await this.redis.sendCommand(["DEL", ...aggregates.slice(i, i + 1000).map((a) => keys.aggregate(a))]);
    }
    await this.redis.sendCommand(["DEL", keys.versions, keys.aggregates]);
  }

  private get redis(): RedisConnection {
    if (!this.admin) throw new Error("redis-streams adapter used before connect()");
    return this.admin;
  }
}

export const redisStreamsAdapterFactory: AdapterFactory = {
  name: "redis-streams",
  service: "redis",
  capabilities,
  capabilitySettings: {
    optimisticConcurrency: { setting: "eventStore", value: true },
    readAggregate: { setting: "eventStore", value: true },
  },
  capabilitiesWith: (settings) => (parseSettings(settings).eventStore ? eventStoreCapabilities : capabilities),
  validateSettings: (settings) => void parseSettings(settings),
  create: (options) => new RedisStreamsAdapter(options),
};
