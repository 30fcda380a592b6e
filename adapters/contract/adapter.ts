/**
 * The adapter contract: the only surface through which workloads touch a system.
 *
 * Shaped after OpenMessaging Benchmark's BenchmarkDriver / BenchmarkProducer / BenchmarkConsumer:
 * an adapter moves opaque payloads keyed by aggregate id. Everything the harness measures (intended
 * send time, producer id, per-key sequence) travels inside the payload, encoded by the harness, so
 * every adapter is measured the same way and no adapter needs to know what is measured.
 *
 * An adapter instance lives in one thread. Worker threads each build their own instance from the
 * same serialisable `AdapterOptions`, so options must stay plain data.
 */

/** What a system can and cannot do; workloads refuse to run when a capability they need is false. */
export interface AdapterCapabilities {
  /** A member receives the events of one key in append order (across members see `consumerGroups`). */
  readonly orderingPerKey: boolean;
  /** Several members of one group share the work, each event going to one member. */
  readonly consumerGroups: boolean;
  /**
   * Several consumer groups read one stream independently, each receiving every event (a scenario's
   * `consumerGroups` above 1). False where a stream is one queue that its one group drains (SQS:
   * fan-out to several groups is SNS's job).
   */
  readonly independentGroups: boolean;
  /** Events delivered but not acknowledged are handed to another member when theirs dies. */
  readonly redeliveryOfUnacked: boolean;
  /** A consumer can start from an earlier position (re-read history). */
  readonly replay: boolean;
  /** An append can carry an expected version per aggregate and is rejected when it is stale. */
  readonly optimisticConcurrency: boolean;
  /** The system can read one aggregate's events back in order (event-store rehydration). */
  readonly readAggregate: boolean;
  /** Exactly-once delivery within the system (transactions / idempotence) is available. */
  readonly exactlyOnce: boolean;
  /**
   * The system itself can tell how far a group is behind (Kafka offsets, Redis XINFO GROUPS).
   * When false (DynamoDB Streams), `lag()` answers null and the harness uses its own count of
   * acknowledged minus consumed events, and says so in the result.
   */
  readonly systemReportsLag: boolean;
  /** Old events are trimmed by size or age. */
  readonly retention: boolean;
  /**
   * The stream lives in this thread's memory (the `memory` adapter): producers, consumers and the
   * lag sampler of one stream must then share a thread.
   */
  readonly inProcess: boolean;
}

/** Where the system is; produced by an environment provider. */
export interface Endpoint {
  /**
   * e.g. `redis://127.0.0.1:6390`, `127.0.0.1:9092`, `http://127.0.0.1:8000`, `memory:`. May carry
   * credentials (from the environment): never print or store it, use `display`.
   */
  readonly url: string;
  /** `url` with credentials removed: the only form that reaches logs, results and reports. */
  readonly display: string;
  /** Provider that produced it: `native`, `docker`, `external`, `in-process`. */
  readonly provider: string;
  /** Server version when the provider knows it (a system whose protocol cannot tell, as Kafka's). */
  readonly serverVersion?: string;
  /**
   * A file of client settings (TLS, credentials) the adapters read, of the format the service's
   * `clientConfig` names (a Kafka client properties file). Only its path travels with the
   * endpoint (to the role workers); its secrets are registered with the scrubber where it is read.
   */
  readonly clientConfig?: string;
}

/** Plain-data options an adapter accepts; each adapter validates its own `settings`. */
export interface AdapterOptions {
  readonly endpoint: Endpoint;
  /** Adapter-specific settings from the scenario (acks, batch size, pipelining …). */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface StreamSpec {
  /** Stream / topic / table name, unique per run so runs never read each other's events. */
  readonly name: string;
  /** Partitions or shards where the system has them; ignored where it has none. */
  readonly partitions: number;
}

export interface OutgoingEvent {
  /** Aggregate id; also the partition key. */
  readonly key: string;
  readonly payload: Uint8Array;
  /**
   * Version the aggregate must be at before this event (events of one aggregate in one batch
   * count up from it). Only honoured when `capabilities.optimisticConcurrency`.
   */
  readonly expectedVersion?: number;
}

/** Outcome of one append call. Errors are thrown; conflicts are a normal outcome, not an error. */
export interface AppendResult {
  /** Events the system acknowledged as durable at the configured level. */
  readonly appended: number;
  /** Keys whose expected version was stale; their events were not appended. */
  readonly conflicts: readonly string[];
}

export interface DeliveredEvent {
  readonly key: string;
  readonly payload: Uint8Array;
  /** System position (stream id, partition:offset, sequence number), for diagnostics. */
  readonly position: string;
  /** 1 on first delivery; higher when the system redelivered it. Absent if unknown. */
  readonly deliveryCount?: number;
}

export interface EventProducer {
  append(events: readonly OutgoingEvent[]): Promise<AppendResult>;
  close(): Promise<void>;
}

export interface ConsumerOptions {
  /** Consumer group name; several groups read the same stream independently. */
  readonly group: string;
  /** Member name, unique within the group. */
  readonly member: string;
  /**
   * Events another member held unacknowledged for longer than this are taken over
   * (where `capabilities.redeliveryOfUnacked`).
   */
  readonly claimIdleAfterMs?: number;
  /** Largest batch handed to `onEvents`. */
  readonly maxBatch?: number;
}

/**
 * Receives batches. Acknowledge by calling `EventConsumer.ack` with the events handled; an
 * unacknowledged event may be redelivered after this member dies.
 */
export type EventHandler = (events: readonly DeliveredEvent[]) => void;

export interface EventConsumer {
  ack(events: readonly DeliveredEvent[]): Promise<void>;
  /** Leaves the group cleanly: stops fetching, lets in-flight handling finish. */
  close(): Promise<void>;
  /** Dies abruptly: no acknowledgement, no goodbye to the group (fault injection, contract). */
  kill(): Promise<void>;
}

/** Backlog of one consumer group. `null` means the system cannot tell now (never reported as 0). */
export interface LagSample {
  /** Events appended but not yet acknowledged by the group (undelivered + pending). */
  readonly events: number | null;
  /** Age in ms of the oldest event the group has not acknowledged; 0 when nothing is behind. */
  readonly oldestAgeMs: number | null;
}

export interface AggregateEvents {
  readonly key: string;
  /** Payloads in version order (those after `afterVersion` when it was given). */
  readonly events: readonly Uint8Array[];
  /** Version after the last event (= events appended to this aggregate); `afterVersion` when none followed it. */
  readonly version: number;
}

export interface SystemInfo {
  /** Server product and version, e.g. `redis 7.0.15`. */
  readonly server: string;
  /** Client library and version, e.g. `ioredis 6.0.0`. */
  readonly client: string;
}

export interface StreamAdapter {
  readonly name: string;
  readonly capabilities: AdapterCapabilities;
  /** Opens connections; fails fast (seconds) when the endpoint does not answer. */
  connect(): Promise<void>;
  info(): Promise<SystemInfo>;
  /**
   * Creates the stream and the consumer groups. The engine calls it only for a stream that does
   * not exist yet. Everything created on the server carries the stream's name (which carries the
   * run id): a group name like `group-1` is the run's logical name, so a system whose groups are
   * server-wide (Kafka's consumer groups, a queue per group) puts the stream's name in the
   * server's name for it. The contract suite checks that another stream's group of the same
   * logical name survives a teardown with its position.
   */
  setup(stream: StreamSpec, groups: readonly string[]): Promise<void>;
  /** Deletes everything `setup` and the run created, and nothing else. */
  teardown(stream: StreamSpec): Promise<void>;
  /** Whether the stream (topic, table) exists: lets the contract check that teardown cleaned up. */
  exists(stream: StreamSpec): Promise<boolean>;
  createProducer(stream: StreamSpec): Promise<EventProducer>;
  createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer>;
  lag(stream: StreamSpec, group: string): Promise<LagSample>;
  /**
   * Running totals of what the adapter did that the harness cannot see (retries of throttled
   * requests, expired iterators renewed …); they are summed into the result's `adapterStats`.
   */
  stats?(): Readonly<Record<string, number>>;
  /**
   * Only when `capabilities.readAggregate`. With `afterVersion` (a snapshot's version, or what a
   * client already knows), only the events after it are read, as an event store reads the tail
   * after a snapshot.
   */
  readAggregate?(stream: StreamSpec, key: string, afterVersion?: number): Promise<AggregateEvents>;
  close(): Promise<void>;
}

/** How the harness finds an adapter: one module per system exports one of these. */
export interface AdapterFactory {
  readonly name: string;
  /**
   * Set when the adapter's client library is no longer maintained: why, in a few words. `list`,
   * the result (`system.unmaintained`) and the report show it beside the client.
   */
  readonly unmaintained?: string;
  /**
   * The `ServiceDefinition.name` of the server this adapter needs (its system's `service`), or
   * `none` for an adapter that runs in-process.
   */
  readonly service: string;
  /**
   * Why a run that names no adapter (the quickstart, `eventbench ci`) leaves this one out, with the
   * measurement behind it; `--adapter` or a scenario's `adapters:` still runs it. Absent: included.
   */
  readonly leftOutOfDefaultRuns?: string;
  /** Capabilities with the default settings. */
  readonly capabilities: AdapterCapabilities;
  /**
   * The most events one `append` takes (SQS's SendMessageBatch: 10); a scenario whose `batchSize`
   * asks more is refused before anything starts. Absent: no limit.
   */
  readonly maxAppendBatch?: number;
  /**
   * Capabilities a setting turns on, because they cost something on every append (an index per
   * aggregate, a script instead of a plain write). The harness sets it for an entry whose workload
   * needs the capability, unless the scenario set it itself, and the result reports the setting.
   */
  readonly capabilitySettings?: Partial<Record<keyof AdapterCapabilities, { readonly setting: string; readonly value: unknown }>>;
  /** Capabilities with these settings; absent: `capabilities` whatever the settings. */
  capabilitiesWith?(settings: Readonly<Record<string, unknown>>): AdapterCapabilities;
  /** Validates `settings` before anything starts; throws a `ConfigError` naming the field. */
  validateSettings(settings: Readonly<Record<string, unknown>>): void;
  /**
   * The client-side durability these settings ask for (Kafka's `acks`), defaults included: beside
   * the server's own persistence, it says what a fault's losses were measured under.
   */
  durability?(settings: Readonly<Record<string, unknown>>): Readonly<Record<string, string>>;
  create(options: AdapterOptions): StreamAdapter;
}

/** What an adapter can do with the given settings. */
export function capabilitiesOf(factory: AdapterFactory, settings: Readonly<Record<string, unknown>>): AdapterCapabilities {
  return factory.capabilitiesWith ? factory.capabilitiesWith(settings) : factory.capabilities;
}
