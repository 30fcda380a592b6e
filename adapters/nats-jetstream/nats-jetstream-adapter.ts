import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  StorageType,
  type JetStreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
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
import { connectNats } from "./nats-connection.js";
import { NatsEventProducer } from "./nats-event-producer.js";
import { NatsGroupMember } from "./nats-group-member.js";
import { durableNameOf, streamNameOf, streamSubjects, subjectOf } from "./nats-names.js";

const require = createRequire(import.meta.url);
/** @nats-io/jetstream exports no package.json: its version is read from the folder above its entry point that is the package. */
function clientVersion(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (manifest.name === name) return manifest.version ?? "unknown";
  }
  return "unknown";
}
const CLIENT = `@nats-io/transport-node ${clientVersion("@nats-io/transport-node")} + @nats-io/jetstream ${clientVersion("@nats-io/jetstream")}`;

/** Until a member says its group's `claimIdleAfterMs`, the server's default AckWait. */
const DEFAULT_ACK_WAIT_MS = 30_000;
/** Messages per direct-get request when an aggregate is read back. */
const READ_BATCH = 1_000;

const capabilities: AdapterCapabilities = {
  // A member gets the stream in sequence order; members are not pinned to keys, so one key's
  // events can be handled by several members at once (the verifier counts what that reorders).
  orderingPerKey: true,
  consumerGroups: true,
  // A durable consumer per group on the one stream.
  independentGroups: true,
  redeliveryOfUnacked: true,
  replay: true,
  // Nats-Expected-Last-Subject-Sequence per aggregate subject.
  optimisticConcurrency: true,
  readAggregate: true,
  exactlyOnce: false,
  systemReportsLag: true,
  retention: true,
  inProcess: false,
};

const isStreamNotFound = (error: unknown) => error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;

function validateSettings(settings: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(settings)) {
    throw new ConfigError(`adapter settings: nats-jetstream.${key}`, "unknown setting; nats-jetstream takes no settings (the server's are services.nats)");
  }
}

class NatsJetStreamAdapter implements StreamAdapter {
  readonly name = "nats-jetstream";
  readonly capabilities = capabilities;
  private admin: { nc: NatsConnection; jsm: JetStreamManager } | undefined;
  private readonly members: NatsGroupMember[] = [];
  /** Where the last read of an aggregate ended, so a later read from that version starts there. */
  private readonly readEnds = new Map<string, { version: number; seq: number }>();

  constructor(private readonly options: AdapterOptions) {}

  async connect(): Promise<void> {
    const nc = await connectNats(this.options.endpoint.url, "eventbench-admin");
    try {
      this.admin = { nc, jsm: await jetstreamManager(nc) };
    } catch (error) {
      await nc.close();
      throw new Error(`NATS at ${this.options.endpoint.display} answers, but not JetStream (start nats-server with -js): ${(error as Error).message}`, { cause: error });
    }
  }

  async info(): Promise<SystemInfo> {
    return { server: `nats-server ${this.connection.nc.info?.version ?? "unknown"}`, client: CLIENT };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    const { jsm } = this.connection;
    const name = streamNameOf(stream.name);
    await jsm.streams.add({
      name,
      subjects: [streamSubjects(stream.name)],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      num_replicas: 1,
      // Direct gets: the lag sampler's oldest message and aggregate reads, without the API's leader round trip.
      allow_direct: true,
    });
    for (const group of groups) {
      await jsm.consumers.add(name, {
        durable_name: durableNameOf(group),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: DEFAULT_ACK_WAIT_MS * 1_000_000,
        max_deliver: -1,
      });
    }
  }

  /** Deleting the stream deletes its consumers with it; nothing else was created. */
  async teardown(stream: StreamSpec): Promise<void> {
    try {
      await this.connection.jsm.streams.delete(streamNameOf(stream.name));
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    try {
      await this.connection.jsm.streams.info(streamNameOf(stream.name));
      return true;
    } catch (error) {
      if (isStreamNotFound(error)) return false;
      throw error;
    }
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    const nc = await connectNats(this.options.endpoint.url, "eventbench-producer");
    return new NatsEventProducer(nc, jetstream(nc), await jetstreamManager(nc), streamNameOf(stream.name), stream.name);
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const nc = await connectNats(this.options.endpoint.url, `eventbench-${options.group}-${options.member}`);
    try {
      const member = await NatsGroupMember.start({
        nc,
        jsm: await jetstreamManager(nc),
        stream: streamNameOf(stream.name),
        durable: durableNameOf(options.group),
        options,
        onEvents,
      });
      this.members.push(member);
      return member;
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  stats(): Readonly<Record<string, number>> {
    return { consumerAckErrors: this.members.reduce((n, m) => n + m.ackErrors, 0) };
  }

  /**
   * Behind = not yet delivered (num_pending) + delivered and not acknowledged (num_ack_pending).
   * The oldest unacknowledged message is the first after the ack floor; its age comes from the
   * server's timestamp, so on a remote server clock skew enters here.
   */
  async lag(stream: StreamSpec, group: string): Promise<LagSample> {
    const { jsm } = this.connection;
    const name = streamNameOf(stream.name);
    const info = await jsm.consumers.info(name, durableNameOf(group));
    const events = info.num_pending + info.num_ack_pending;
    if (events === 0) return { events: 0, oldestAgeMs: 0 };
    const oldest = await jsm.direct.getMessage(name, { seq: info.ack_floor.stream_seq + 1, next_by_subj: streamSubjects(stream.name) });
    return { events, oldestAgeMs: oldest ? Math.max(0, Date.now() - oldest.time.getTime()) : null };
  }

  /**
   * The subject's messages in sequence order, by batched direct gets. JetStream keeps no index
   * from an aggregate's version to a stream sequence: a read from `afterVersion` starts where this
   * adapter's last read of the aggregate ended when that was at the same version, and otherwise
   * reads from the start and skips the first `afterVersion` events.
   */
  async readAggregate(stream: StreamSpec, key: string, afterVersion = 0): Promise<AggregateEvents> {
    const { jsm } = this.connection;
    const name = streamNameOf(stream.name);
    const subject = subjectOf(stream.name, key);
    const cacheKey = `${name}\u0000${key}`;
    const known = this.readEnds.get(cacheKey);
    const resume = known && known.version === afterVersion && afterVersion > 0;
    let version = resume ? afterVersion : 0;
    let seq = resume ? known.seq + 1 : 1;
    const events: Uint8Array[] = [];
    for (;;) {
      let read = 0;
      try {
        for await (const m of await jsm.direct.getBatch(name, { seq, next_by_subj: subject, batch: READ_BATCH })) {
          read++;
          version++;
          seq = m.seq + 1;
          if (version > afterVersion) events.push(m.data);
        }
      } catch (error) {
        // Nothing at or after `seq` on the subject: the read is complete.
        if ((error as { code?: unknown }).code !== 404) throw error;
      }
      if (read < READ_BATCH) break;
    }
    if (version > 0) this.readEnds.set(cacheKey, { version, seq: seq - 1 });
    return { key, events, version: Math.max(version, afterVersion) };
  }

  async close(): Promise<void> {
    await this.admin?.nc.close().catch(() => {});
    this.admin = undefined;
  }

  private get connection(): { nc: NatsConnection; jsm: JetStreamManager } {
    if (!this.admin) throw new Error("nats-jetstream adapter used before connect()");
    return this.admin;
  }
}

export const natsJetStreamAdapterFactory: AdapterFactory = {
  name: "nats-jetstream",
  service: "nats",
  capabilities,
  validateSettings,
  create: (options) => new NatsJetStreamAdapter(options),
};
