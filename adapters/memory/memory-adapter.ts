import { ConfigError } from "../../harness/errors/errors.js";
import type {
  AdapterCapabilities,
  AdapterFactory,
  AdapterOptions,
  AggregateEvents,
  AppendResult,
  ConsumerOptions,
  DeliveredEvent,
  EventConsumer,
  EventHandler,
  EventProducer,
  LagSample,
  OutgoingEvent,
  StreamAdapter,
  StreamSpec,
  SystemInfo,
} from "../contract/adapter.js";
import { memoryStreams, type MemoryMember, type MemoryStream } from "./memory-stream.js";

const capabilities: AdapterCapabilities = {
  orderingPerKey: true,
  consumerGroups: true,
  independentGroups: true,
  redeliveryOfUnacked: true,
  replay: false,
  optimisticConcurrency: true,
  readAggregate: true,
  exactlyOnce: false,
  systemReportsLag: true,
  retention: true,
  inProcess: true,
};

interface MemorySettings {
  /** Keep every payload per aggregate so `readAggregate` works; off for harness-ceiling runs. */
  readonly retainHistory: boolean;
  /**
   * Events accepted per second at most, per producer, later ones waiting their turn: a system with a known
   * limit, so a test can check that the max-throughput search stops where the limit sits.
   * Null: no limit (the harness's own ceiling).
   */
  readonly capacityPerSecond: number | null;
}

function parseSettings(settings: Readonly<Record<string, unknown>> = {}): MemorySettings {
  for (const key of Object.keys(settings)) {
    if (key !== "retainHistory" && key !== "capacityPerSecond") throw new ConfigError(`adapter settings: memory.${key}`, "unknown setting; expected retainHistory or capacityPerSecond");
  }
  const retainHistory = settings.retainHistory ?? true;
  if (typeof retainHistory !== "boolean") {
    throw new ConfigError("adapter settings: memory.retainHistory", `expected true or false, got ${JSON.stringify(retainHistory)}`);
  }
  const capacity = settings.capacityPerSecond ?? null;
  if (capacity !== null && !(typeof capacity === "number" && capacity > 0)) {
    throw new ConfigError("adapter settings: memory.capacityPerSecond", `expected events per second above 0, got ${JSON.stringify(capacity)}`);
  }
  return { retainHistory, capacityPerSecond: capacity };
}

class MemoryProducer implements EventProducer {
  /** When the simulated system is next free (ms, performance.now()). */
  private freeAtMs = 0;

  constructor(
    private readonly stream: MemoryStream,
    private readonly capacityPerSecond: number | null,
  ) {}

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    if (this.capacityPerSecond !== null) {
      const now = performance.now();
      this.freeAtMs = Math.max(this.freeAtMs, now) + (1000 * events.length) / this.capacityPerSecond;
      const waitMs = this.freeAtMs - now;
      if (waitMs >= 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    // Check every aggregate of the batch first: an aggregate's events go in all or none.
    const stale = new Set<string>();
    const expected = new Map<string, number>();
    for (const e of events) {
      if (e.expectedVersion === undefined || expected.has(e.key)) continue;
      expected.set(e.key, e.expectedVersion);
      if (this.stream.version(e.key) !== e.expectedVersion) stale.add(e.key);
    }
    let appended = 0;
    for (const e of events) {
      if (stale.has(e.key)) continue;
      this.stream.append(e.key, e.payload);
      appended++;
    }
    return { appended, conflicts: [...stale] };
  }

  async close(): Promise<void> {}
}

class MemoryConsumer implements EventConsumer, MemoryMember {
  alive = true;
  readonly name: string;
  readonly maxBatch: number;
  readonly claimIdleAfterMs: number | undefined;
  private readonly claimTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: MemoryStream,
    private readonly options: ConsumerOptions,
    private readonly onEvents: EventHandler,
  ) {
    this.name = options.member;
    this.maxBatch = options.maxBatch ?? 100;
    this.claimIdleAfterMs = options.claimIdleAfterMs;
    stream.join(options.group, this);
    if (options.claimIdleAfterMs !== undefined) {
      const every = Math.max(10, options.claimIdleAfterMs / 2);
      this.claimTimer = setInterval(() => stream.claim(options.group, this), every);
      this.claimTimer.unref();
    }
  }

  deliver(events: DeliveredEvent[]): void {
    if (this.alive) this.onEvents(events);
  }

  async ack(events: readonly DeliveredEvent[]): Promise<void> {
    this.stream.ack(this.options.group, events.map((e) => Number(e.position)));
  }

  async close(): Promise<void> {
    this.stop();
    this.stream.leave(this.options.group, this);
  }

  async kill(): Promise<void> {
    // Stays listed as the owner of its pending entries until another member claims them.
    this.stop();
  }

  private stop(): void {
    this.alive = false;
    if (this.claimTimer) clearInterval(this.claimTimer);
  }
}

class MemoryAdapter implements StreamAdapter {
  readonly name = "memory";
  readonly capabilities: AdapterCapabilities;
  private readonly settings: MemorySettings;

  constructor(options: AdapterOptions) {
    this.settings = parseSettings(options.settings);
    this.capabilities = this.settings.retainHistory ? capabilities : { ...capabilities, readAggregate: false };
  }

  async connect(): Promise<void> {}

  async info(): Promise<SystemInfo> {
    return { server: `in-process ${process.version}`, client: `eventbench memory ${process.version}` };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    const s = memoryStreams.create(stream.name, this.settings.retainHistory);
    for (const g of groups) s.createGroup(g);
  }

  async teardown(stream: StreamSpec): Promise<void> {
    memoryStreams.delete(stream.name);
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    return memoryStreams.get(stream.name) !== undefined;
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    return new MemoryProducer(this.stream(stream), this.settings.capacityPerSecond);
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    return new MemoryConsumer(this.stream(stream), options, onEvents);
  }

  async lag(stream: StreamSpec, group: string): Promise<LagSample> {
    return this.stream(stream).lag(group);
  }

  async readAggregate(stream: StreamSpec, key: string, afterVersion = 0): Promise<AggregateEvents> {
    const events = this.stream(stream).historyOf(key);
    if (!events) throw new Error("memory adapter runs with retainHistory=false: aggregates cannot be read back");
    return { key, events: events.slice(afterVersion), version: Math.max(afterVersion, events.length) };
  }

  async close(): Promise<void> {}

  private stream(spec: StreamSpec): MemoryStream {
    const s = memoryStreams.get(spec.name);
    if (!s) throw new Error(`memory stream "${spec.name}" does not exist in this thread (setup not called?)`);
    return s;
  }
}

export const memoryAdapterFactory: AdapterFactory = {
  name: "memory",
  service: "none",
  capabilities,
  // Without the history, aggregates cannot be read back: a rehydrating run is refused up front.
  capabilitiesWith: (settings) => (parseSettings(settings).retainHistory ? capabilities : { ...capabilities, readAggregate: false }),
  validateSettings: (settings) => void parseSettings(settings),
  create: (options) => new MemoryAdapter(options),
};
