import { createRequire } from "node:module";
import { ConfigError } from "../../harness/errors/errors.js";
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
import { PostgresConnection } from "./postgres-connection.js";
import { PostgresEventProducer, type ConflictCounts } from "./postgres-event-producer.js";
import { PostgresGroupMember } from "./postgres-group-member.js";
import { streamObjects } from "./postgres-names.js";
import { createStreamObjects, dropStreamObjects, streamObjectsExist } from "./postgres-schema.js";

const PG_VERSION = (createRequire(import.meta.url)("pg/package.json") as { version: string }).version;

const capabilities: AdapterCapabilities = {
  orderingPerKey: true,
  // Members share a group's partitions (aggregates hashed), each event going to one member.
  consumerGroups: true,
  // Each group keeps its own checkpoints on the one events table.
  independentGroups: true,
  redeliveryOfUnacked: true,
  replay: true,
  optimisticConcurrency: true,
  readAggregate: true,
  exactlyOnce: false,
  systemReportsLag: true,
  retention: false,
  inProcess: false,
};

interface PostgresSettings {
  /** Appends NOTIFY and idle members LISTEN, instead of only polling. */
  readonly notify: boolean;
  /** How long an idle member waits before reading again (with notify: its fallback). */
  readonly pollIntervalMs: number;
  /** Connections a producer appends over at once, each aggregate always on the same one. */
  readonly connectionsPerProducer: number;
}

const SETTINGS_EXPECTED = "notify (boolean), pollIntervalMs (integer 1..10000), connectionsPerProducer (integer 1..64)";

function parseSettings(settings: Readonly<Record<string, unknown>> = {}): PostgresSettings {
  const at = (field: string) => `adapter settings: postgres.${field}`;
  for (const key of Object.keys(settings)) {
    if (!["notify", "pollIntervalMs", "connectionsPerProducer"].includes(key)) throw new ConfigError(at(key), `unknown setting; expected ${SETTINGS_EXPECTED}`);
  }
  const { notify = false, pollIntervalMs = 100, connectionsPerProducer = 4 } = settings;
  if (typeof notify !== "boolean") throw new ConfigError(at("notify"), `expected true or false, got ${JSON.stringify(notify)}`);
  if (!Number.isInteger(pollIntervalMs) || (pollIntervalMs as number) < 1 || (pollIntervalMs as number) > 10_000) {
    throw new ConfigError(at("pollIntervalMs"), `expected an integer from 1 to 10000, got ${JSON.stringify(pollIntervalMs)}`);
  }
  if (!Number.isInteger(connectionsPerProducer) || (connectionsPerProducer as number) < 1 || (connectionsPerProducer as number) > 64) {
    throw new ConfigError(at("connectionsPerProducer"), `expected an integer from 1 to 64, got ${JSON.stringify(connectionsPerProducer)}`);
  }
  return { notify, pollIntervalMs: pollIntervalMs as number, connectionsPerProducer: connectionsPerProducer as number };
}

/** PostgreSQL as an event store: one schema per stream (README.md in this folder). */
class PostgresAdapter implements StreamAdapter {
  readonly name = "postgres";
  readonly capabilities = capabilities;
  private readonly settings: PostgresSettings;
  private admin: PostgresConnection | undefined;
  private readonly members: PostgresGroupMember[] = [];
  private readonly conflicts: ConflictCounts = { staleVersion: 0, versionAhead: 0 };

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseSettings(options.settings);
  }

  async connect(): Promise<void> {
    this.admin = await PostgresConnection.open(this.options.endpoint.url);
  }

  async info(): Promise<SystemInfo> {
    const { rows } = await (await this.client()).query<{ server_version: string }>("SHOW server_version");
    return { server: `postgresql ${rows[0]?.server_version ?? "unknown"}`, client: `pg ${PG_VERSION}` };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    await createStreamObjects(await this.client(), streamObjects(stream.name), Math.max(1, stream.partitions), groups);
  }

  async teardown(stream: StreamSpec): Promise<void> {
    await dropStreamObjects(await this.client(), streamObjects(stream.name));
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    return streamObjectsExist(await this.client(), streamObjects(stream.name));
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    return PostgresEventProducer.open(this.options.endpoint.url, this.settings.connectionsPerProducer, streamObjects(stream.name), this.settings.notify, this.conflicts);
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const member = await PostgresGroupMember.start({
      url: this.options.endpoint.url,
      streamName: stream.name,
      objects: streamObjects(stream.name),
      partitions: Math.max(1, stream.partitions),
      consumer: options,
      onEvents,
      pollIntervalMs: this.settings.pollIntervalMs,
      notify: this.settings.notify,
    });
    this.members.push(member);
    return member;
  }

  /**
   * Events the group has not acknowledged (after its checkpoints, in the order subscriptions
   * read) and the age of the oldest, by the server's clock. Events of transactions still running
   * are not counted: nobody can see them yet.
   */
  async lag(stream: StreamSpec, group: string): Promise<LagSample> {
    const o = streamObjects(stream.name);
    const { rows } = await (await this.client()).query<{ groups: string; events: string; age_ms: number | null }>(
      `SELECT (SELECT count(*) FROM ${o.checkpoints} WHERE consumer_group = $1) AS groups, count(e.position) AS events,
              (extract(epoch FROM now() - min(e.created_at)) * 1000)::float8 AS age_ms
       FROM ${o.checkpoints} c JOIN ${o.events} e ON e.partition = c.partition AND (e.tx_id, e.position) > (c.tx_id, c.position)
       WHERE c.consumer_group = $1`,
      [group],
    );
    const row = rows[0];
    if (!row || Number(row.groups) === 0) throw new Error(`consumer group "${group}" has no checkpoints on ${stream.name}`);
    const events = Number(row.events);
    return { events, oldestAgeMs: events === 0 ? 0 : Math.max(0, Math.round(row.age_ms ?? 0)) };
  }

  /** The aggregate's events after `afterVersion` in version order, and its version, in one statement (one snapshot). */
  async readAggregate(stream: StreamSpec, key: string, afterVersion = 0): Promise<AggregateEvents> {
    const o = streamObjects(stream.name);
    const { rows } = await (await this.client()).query<{ version: number; payload: Buffer }>(
      `SELECT version, payload FROM ${o.events} WHERE stream_id = $1 AND version > $2 ORDER BY version`,
      [key, afterVersion],
    );
    return { key, events: rows.map((r) => r.payload), version: rows.length ? (rows[rows.length - 1] as { version: number }).version : afterVersion };
  }

  /** Conflicts by cause, and members' read errors and reconnections (a server paused or restarted). */
  stats(): Readonly<Record<string, number>> {
    return {
      conflictsStaleVersion: this.conflicts.staleVersion,
      conflictsVersionAhead: this.conflicts.versionAhead,
      consumerReadErrors: this.members.reduce((n, m) => n + m.readErrors, 0),
      consumerReconnects: this.members.reduce((n, m) => n + m.reconnects, 0),
    };
  }

  async close(): Promise<void> {
    await this.admin?.close();
    this.admin = undefined;
  }

  /** The admin connection, opened again when the server dropped it (killed, restarted). */
  private async client() {
    if (!this.admin) throw new Error("postgres adapter used before connect()");
    if (this.admin.broken) this.admin = await PostgresConnection.open(this.options.endpoint.url);
    return this.admin;
  }
}

export const postgresAdapterFactory: AdapterFactory = {
  name: "postgres",
  service: "postgres",
  capabilities,
  validateSettings: (settings) => void parseSettings(settings),
  create: (options) => new PostgresAdapter(options),
};
