import { createRequire } from "node:module";
import { Redis, type RedisOptions } from "ioredis";
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
import { RedisStreamConsumer } from "./redis-stream-consumer.js";
import { FIELDS, idTimeMs, parseGroups } from "./stream-replies.js";

const IOREDIS_VERSION = (createRequire(import.meta.url)("ioredis/package.json") as { version: string }).version;

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
  /** ioredis auto-pipelining: raises throughput, worsens p99 5-10×; never on unless asked. */
  readonly autoPipelining: boolean;
  /** How long a blocking XREADGROUP waits before looping (bounds how fast a consumer closes). */
  readonly blockMs: number;
  /**
   * Appends go through a Lua script that checks an expected version per aggregate and also XADDs
   * each event to the aggregate's own stream: optimistic concurrency and aggregate reads, at the
   * price of a script and a second XADD per event. Off unless a workload needs it.
   */
  readonly eventStore: boolean;
}

const SETTINGS_EXPECTED = "maxLen (integer ≥ 0), autoPipelining (boolean), blockMs (integer 1..10000), eventStore (boolean)";

function parseSettings(settings: Readonly<Record<string, unknown>> = {}): RedisStreamsSettings {
  const at = (field: string) => `adapter settings: redis-streams.${field}`;
  for (const key of Object.keys(settings)) {
    if (!["maxLen", "autoPipelining", "blockMs", "eventStore"].includes(key)) throw new ConfigError(at(key), `unknown setting; expected ${SETTINGS_EXPECTED}`);
  }
  const { maxLen = 0, autoPipelining = false, blockMs = 500, eventStore = false } = settings;
  if (typeof eventStore !== "boolean") throw new ConfigError(at("eventStore"), `expected true or false, got ${JSON.stringify(eventStore)}`);
  if (!Number.isInteger(maxLen) || (maxLen as number) < 0) throw new ConfigError(at("maxLen"), `expected an integer ≥ 0, got ${JSON.stringify(maxLen)}`);
  if (typeof autoPipelining !== "boolean") throw new ConfigError(at("autoPipelining"), `expected true or false, got ${JSON.stringify(autoPipelining)}`);
  if (!Number.isInteger(blockMs) || (blockMs as number) < 1 || (blockMs as number) > 10_000) {
    throw new ConfigError(at("blockMs"), `expected an integer from 1 to 10000, got ${JSON.stringify(blockMs)}`);
  }
  return { maxLen: maxLen as number, autoPipelining, blockMs: blockMs as number, eventStore };
}

const CONNECT_TIMEOUT_MS = 3_000;

/** Connects one ioredis client; rejects within seconds when the server does not answer. */
/** Why a connect failed, in the words of the server when it said why (WRONGPASS, NOAUTH). */
function connectFailure(error: Error, lastError: Error | undefined): string {
  const said = [error.message, lastError?.message ?? ""].find((m) => /WRONGPASS|NOAUTH|NOPERM|invalid password/i.test(m));
  if (said) return `authentication failed (${said.trim()})`;
  return lastError && lastError.message !== error.message ? `${error.message} (${lastError.message})` : error.message;
}

export async function connectRedis(url: string, overrides: RedisOptions = {}): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    protocol: 2, // RESP2 replies: the parsers in stream-replies.ts, and servers older than 6
    enableAutoPipelining: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: null, // a paused server must show up as latency, not as errors
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    ...overrides,
  });
  // Connection errors surface through the commands that fail; the event must not crash the run.
  // The last one is kept: a refused AUTH shows only there, the connect itself says "Connection is closed".
  let lastError: Error | undefined;
  client.on("error", (error: Error) => {
    lastError = error;
  });
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS).unref()),
    ]);
  } catch (error) {
    client.disconnect();
    throw new Error(`cannot connect to Redis: ${connectFailure(error as Error, lastError)}`, { cause: error });
  }
  return client;
}

class RedisStreamProducer implements EventProducer {
  private readonly eventStore: EventStoreAppender | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly maxLen: number,
    eventStore: boolean,
  ) {
    if (eventStore) this.eventStore = new EventStoreAppender(redis, stream, maxLen);
  }

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    if (this.eventStore) return this.eventStore.append(events);
    const trim = this.maxLen > 0 ? ["MAXLEN", "~", this.maxLen] : [];
    if (events.length === 1) {
      const e = events[0] as OutgoingEvent;
      await this.redis.call("XADD", [this.stream, ...trim, "*", FIELDS.key, e.key, FIELDS.payload, Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength)]);
      return { appended: 1, conflicts: [] };
    }
    // A batch is one explicit pipeline: one write, replies in order.
    const pipeline = this.redis.pipeline();
    for (const e of events) {
      pipeline.call("XADD", this.stream, ...trim, "*", FIELDS.key, e.key, FIELDS.payload, Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength));
    }
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0] as Error;
    return { appended: events.length, conflicts: [] };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

class RedisStreamsAdapter implements StreamAdapter {
  readonly name = "redis-streams";
  readonly capabilities: AdapterCapabilities;
  private readonly settings: RedisStreamsSettings;
  private admin: Redis | undefined;
  private readonly consumers: RedisStreamConsumer[] = [];

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseSettings(options.settings);
    this.capabilities = this.settings.eventStore ? eventStoreCapabilities : capabilities;
  }

  async connect(): Promise<void> {
    this.admin = await connectRedis(this.options.endpoint.url);
  }

  async info(): Promise<SystemInfo> {
    const text = String(await this.redis.call("INFO", ["server"]));
    const version = /redis_version:([^\r\n]+)/.exec(text)?.[1] ?? "unknown";
    return { server: `redis ${version}`, client: `ioredis ${IOREDIS_VERSION}` };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    if (groups.length === 0) {
      // A stream exists only with an entry or a group: add one and trim it away.
      await this.redis.call("XADD", [stream.name, "MAXLEN", "0", "*", "init", "1"]);
    }
    for (const group of groups) {
      try {
        await this.redis.call("XGROUP", ["CREATE", stream.name, group, "0", "MKSTREAM"]);
      } catch (error) {
        if (!String((error as Error).message).includes("BUSYGROUP")) throw error;
      }
    }
  }

  async teardown(stream: StreamSpec): Promise<void> {
    await this.redis.call("DEL", [stream.name]);
    await this.deleteEventStore(stream);
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    const keys = eventStoreKeys(stream.name);
    return Number(await this.redis.call("EXISTS", [stream.name, keys.versions, keys.aggregates])) > 0;
  }

  /** Reads the aggregate's stream and its version in one MULTI, so an append cannot fall between them. */
  async readAggregate(stream: StreamSpec, key: string, afterVersion = 0): Promise<AggregateEvents> {
    if (!this.settings.eventStore) throw new Error("redis-streams reads aggregates back only with the setting eventStore: true");
    const keys = eventStoreKeys(stream.name);
    const replies = await this.redis
      .multi()
      .callBuffer("XRANGE", keys.aggregate(key), afterVersion > 0 ? `(${versionId(afterVersion)}` : "-", "+")
      .call("HGET", keys.versions, key)
      .exec();
    const [[rangeError, entries] = [], [versionError, version] = []] = replies ?? [];
    if (rangeError || versionError) throw (rangeError ?? versionError) as Error;
    const events = (entries as [Buffer, Buffer[]][]).map(([, fields]) => fields[1] as Buffer);
    return { key, events, version: Math.max(afterVersion, Number(version ?? 0)) };
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    const connection = await connectRedis(this.options.endpoint.url, { enableAutoPipelining: this.settings.autoPipelining });
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
    const info = parseGroups(await this.redis.call("XINFO", ["GROUPS", stream.name])).find((g) => g.name === group);
    if (!info) throw new Error(`consumer group "${group}" does not exist on ${stream.name}`);
    if (info.lag === null) return { events: null, oldestAgeMs: null };
    const events = info.lag + info.pending;
    if (events === 0) return { events: 0, oldestAgeMs: 0 };
    // Oldest unacknowledged = the oldest pending entry or the first undelivered one. Its age comes
    // from the entry id, i.e. the server's clock: on a remote server, clock skew enters here.
    const candidates: string[] = [];
    if (info.pending > 0) {
      const summary = (await this.redis.call("XPENDING", [stream.name, group])) as [number, string | null];
      if (summary[1]) candidates.push(summary[1]);
    }
    if (info.lag > 0) {
      const next = (await this.redis.call("XRANGE", [stream.name, `(${info.lastDeliveredId}`, "+", "COUNT", "1"])) as [string, unknown][];
      if (next[0]) candidates.push(next[0][0]);
    }
    const oldest = Math.min(...candidates.map(idTimeMs));
    return { events, oldestAgeMs: candidates.length ? Math.max(0, Date.now() - oldest) : null };
  }

  async close(): Promise<void> {
    await this.admin?.quit().catch(() => this.admin?.disconnect());
    this.admin = undefined;
  }

  /** The per-aggregate streams, the versions hash and the set that lists the aggregates. */
  private async deleteEventStore(stream: StreamSpec): Promise<void> {
    const keys = eventStoreKeys(stream.name);
    const aggregates = (await this.redis.call("SMEMBERS", [keys.aggregates])) as string[];
    for (let i = 0; i < aggregates.length; i += 1000) {
      await this.redis.call("DEL", aggregates.slice(i, i + 1000).map((a) => keys.aggregate(a)));
    }
    await this.redis.call("DEL", [keys.versions, keys.aggregates]);
  }

  private get redis(): Redis {
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
