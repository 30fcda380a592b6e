import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { StreamAdapter } from "../../adapters/contract/adapter.js";
import { loadAdapterFactory } from "../../adapters/registry.js";
import { ClosedLoopProducer } from "../load/closed-loop-producer.js";
import { PiecewiseLinearSchedule } from "../load/arrival-schedule.js";
import { EventSource, uniformKeys } from "../load/event-source.js";
import { DeliveryLog, GroupMember } from "../load/group-member.js";
import { OpenLoopProducer } from "../load/open-loop-producer.js";
import { IntervalRecorder } from "../measurement/interval-recorder.js";
import { NS_PER_MS } from "../measurement/monotonic-clock.js";
import { ConsumerLagSampler } from "./consumer-lag-sampler.js";
import type { HostCommand, HostInfo, HostInterval, HostSpec, ProducerSpec, ProducersStopped } from "./host-protocol.js";

type Producer = OpenLoopProducer | ClosedLoopProducer;

const LOOP_DELAY_RESOLUTION_MS = 10;
/** monitorEventLoopDelay samples the whole timer period; the delay is what exceeds it. */
const loopDelayMs = (ns: number) => Math.max(0, ns / NS_PER_MS - LOOP_DELAY_RESOLUTION_MS);

/**
 * Runs the roles placed on one thread (producers, group members, the admin duties) with its own
 * adapter instance and its own recorder; nothing on its hot path is shared with another thread.
 */
export class RoleHost {
  private adapter: StreamAdapter | undefined;
  private readonly recorder = new IntervalRecorder();
  private readonly producers: { producer: Producer; source: EventSource }[] = [];
  private readonly members: GroupMember[] = [];
  private readonly deliveryLogs = new Map<string, DeliveryLog>();
  private lagSampler: ConsumerLagSampler | undefined;
  /** Adapter stats already reported, so each interval carries only what is new. */
  private readonly reportedStats = new Map<string, number>();
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });

  constructor(private readonly spec: HostSpec) {
    this.loopDelay.enable();
  }

  async handle(command: HostCommand): Promise<unknown> {
    switch (command.type) {
      case "connect":
        return this.connect();
      case "setup":
        await this.ready.setup(this.spec.stream, this.spec.groups);
        return undefined;
      case "start-consumers":
        return this.startConsumers();
      case "start-producers":
        return this.startProducers(command.t0Ns);
      case "flush":
        return this.flush();
      case "stop-producers":
        return this.stopProducers();
      case "stop-consumers":
        this.lagSampler?.stop();
        await Promise.all(this.members.map((m) => m.close()));
        return undefined;
      case "teardown":
        await this.ready.teardown(this.spec.stream);
        return undefined;
      case "close":
        return this.close();
    }
  }

  private get ready(): StreamAdapter {
    if (!this.adapter) throw new Error(`${this.spec.name}: adapter used before connect`);
    return this.adapter;
  }

  private async connect(): Promise<HostInfo> {
    const factory = await loadAdapterFactory(this.spec.adapter);
    this.adapter = factory.create(this.spec.adapterOptions);
    await this.adapter.connect();
    return this.adapter.info();
  }

  private async startConsumers(): Promise<void> {
    for (const m of this.spec.members) {
      let log = this.deliveryLogs.get(m.group);
      if (!log) {
        log = new DeliveryLog();
        this.deliveryLogs.set(m.group, log);
      }
      const member = new GroupMember(this.recorder, log, { ...m, runTag: this.spec.runTag });
      await member.start(this.ready, this.spec.stream);
      this.members.push(member);
    }
    if (this.spec.admin && this.spec.groups.length > 0) {
      this.lagSampler = new ConsumerLagSampler(this.ready, this.spec.stream, this.spec.groups);
      this.lagSampler.start();
    }
  }

  private async startProducers(t0Ns: number): Promise<void> {
    for (const p of this.spec.producers) {
      const source = new EventSource({
        runTag: this.spec.runTag,
        producerId: p.producerId,
        keys: p.keys,
        payloadSize: p.payloadSize,
        chooseKey: uniformKeys(p.keys),
      });
      const producer = this.buildProducer(p, source, await this.ready.createProducer(this.spec.stream));
      this.producers.push({ producer, source });
    }
    // Start together, after every connection is open, so none begins behind its schedule.
    for (const { producer } of this.producers) producer.start(t0Ns);
    // Start-up (module loading, WASM compilation, connecting) is not load: measure from here.
    this.loopDelay.reset();
  }

  private buildProducer(p: ProducerSpec, source: EventSource, eventProducer: Awaited<ReturnType<StreamAdapter["createProducer"]>>): Producer {
    const load = p.load;
    if (load.kind === "open") {
      return new OpenLoopProducer(new PiecewiseLinearSchedule(load.stages), source, eventProducer, this.recorder, load);
    }
    return new ClosedLoopProducer(source, eventProducer, this.recorder, load);
  }

  private flush(): HostInterval {
    const deliveries: Record<string, Uint32Array> = {};
    for (const [group, log] of this.deliveryLogs) deliveries[group] = log.take();
    const failed = Uint32Array.from(this.producers.flatMap(({ producer }) => producer.takeFailed()));
    if (this.lagSampler && this.lagSampler.errors > 0) {
      this.recorder.count("lagSampleErrors", this.lagSampler.errors);
      this.lagSampler.errors = 0;
    }
    for (const [name, total] of Object.entries(this.adapter?.stats?.() ?? {})) {
      const delta = total - (this.reportedStats.get(name) ?? 0);
      if (delta !== 0) this.recorder.count(`adapter:${name}`, delta);
      this.reportedStats.set(name, total);
    }
    const eventLoop = {
      p99Ms: this.loopDelay.count > 0 ? loopDelayMs(this.loopDelay.percentile(99)) : 0,
      maxMs: this.loopDelay.count > 0 ? loopDelayMs(this.loopDelay.max) : 0,
    };
    this.loopDelay.reset();
    return { snapshot: this.recorder.take(), deliveries, failed, lag: this.lagSampler?.snapshot() ?? {}, eventLoop };
  }

  private async stopProducers(): Promise<ProducersStopped> {
    await Promise.all(this.producers.map(({ producer }) => producer.stop()));
    return { sentPerKey: this.producers.map(({ source }) => ({ producerId: source.producerId, nextSeq: [...source.sentPerKey()] })) };
  }

  private async close(): Promise<void> {
    this.lagSampler?.stop();
    this.loopDelay.disable();
    await this.adapter?.close();
    this.recorder.destroy();
  }
}

