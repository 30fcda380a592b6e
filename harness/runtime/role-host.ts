import { monitorEventLoopDelay, type ELDHistogram } from "node:perf_hooks";
import type { StreamAdapter } from "../../adapters/contract/adapter.js";
import { loadAdapterFactory } from "../../adapters/registry.js";
import { ClosedLoopProducer } from "../load/closed-loop-producer.js";
import { PiecewiseLinearSchedule } from "../load/arrival-schedule.js";
import { AggregateRehydrator } from "../../scenarios/workloads/event-store/aggregate-rehydrator.js";
import { EventSource, keyName, type AppendSource } from "../load/event-source.js";
import { DeliveryLog, GroupMember, type Projection, type Receipts } from "../load/group-member.js";
import { keyChooser } from "../load/key-distribution.js";
import { OpenLoopProducer } from "../load/open-loop-producer.js";
import { threadWakeClock } from "../load/precise-wake.js";
import { ProjectedCommandSource } from "../../scenarios/workloads/cqrs/projected-command-source.js";
import { QueryLoad } from "../../scenarios/workloads/cqrs/query-load.js";
import { VersionedCommandSource } from "../../scenarios/workloads/event-store/versioned-command-source.js";
import { VisibilityWaiters } from "../../scenarios/workloads/cqrs/visibility-waiters.js";
import { IntervalRecorder } from "../measurement/interval-recorder.js";
import { LatestCommandBoard } from "../../scenarios/workloads/cqrs/latest-command-board.js";
import { monotonicNowNs, NS_PER_MS } from "../measurement/monotonic-clock.js";
import { ProjectionLagBoard } from "../../scenarios/workloads/cqrs/projection-lag-board.js";
import { openReadModel } from "../../scenarios/workloads/cqrs/read-model/open-read-model.js";
import type { ReadModel } from "../../scenarios/workloads/cqrs/read-model/read-model.js";
import { ConsumerLagSampler } from "./consumer-lag-sampler.js";
import type { EndCheck, HostCommand, HostInfo, HostInterval, HostSpec, MemberSpec, ProducerSpec, ProducersStopped } from "./host-protocol.js";

type Producer = OpenLoopProducer | ClosedLoopProducer;

/** Rehydrations and queries in flight at most: beyond, a due one waits and its wait counts. */
const REHYDRATIONS_IN_FLIGHT = 16;
const QUERIES_IN_FLIGHT = 64;
/** A read-your-writes miss waits this long at most for the projector to show the command. */
const MISS_WAIT_MS = 10_000;
/** The end-of-run read-back of every aggregate is skipped above this many (it would take minutes). */
const END_CHECK_MAX_KEYS = 10_000;

/** After the consumers stopped, how long the system's answer to the last lag question is awaited. */
const SETTLED_LAG_WITHIN_MS = 2_000;

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
  private readonly producers: { producer: Producer; source: AppendSource }[] = [];
  private rehydrator: AggregateRehydrator | undefined;
  private readModel: ReadModel | undefined;
  private queryLoad: QueryLoad | undefined;
  private waiters: VisibilityWaiters | undefined;
  private readonly lagBoard: ProjectionLagBoard | undefined;
  private readonly latestCommands: LatestCommandBoard | undefined;
  private readonly members: GroupMember[] = [];
  private readonly deliveryLogs = new Map<string, DeliveryLog>();
  private lagSampler: ConsumerLagSampler | undefined;
  private projection: Projection | undefined;
  /** Adapter stats already reported, so each interval carries only what is new. */
  private readonly reportedStats = new Map<string, number>();
  private readonly loopDelay: ELDHistogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  /** CPU time (µs) of this thread and of its wake clock's sleeper already reported. */
  private readonly reportedCpuUs = { thread: 0, sleeper: 0 };

  constructor(private readonly spec: HostSpec) {
    this.loopDelay.enable();
    if (spec.cqrsBoards) {
      this.lagBoard = new ProjectionLagBoard(spec.cqrsBoards.lag, this.recorder);
      this.latestCommands = new LatestCommandBoard(spec.cqrsBoards.latestCommands);
    }
  }

  async handle(command: HostCommand): Promise<unknown> {
    switch (command.type) {
      case "connect":
        return this.connect();
      case "setup":
        // A run creates only what carries its id and deletes only what it created: a stream that
        // is already there belongs to someone else (or to an earlier run with this id).
        if (await this.ready.exists(this.spec.stream)) {
          throw new Error(
            `stream "${this.spec.stream.name}" exists already on the server: a run uses only streams it creates and never deletes one it did not (was this run id used before against the same server?); nothing was changed`,
          );
        }
        await this.ready.setup(this.spec.stream, this.spec.groups);
        // From here on, not from the consumers' start: a backlog-drain builds its backlog first.
        if (this.spec.admin && this.spec.groups.length > 0) this.lagSampler = new ConsumerLagSampler(this.ready, this.spec.stream, this.spec.groups);
        return undefined;
      case "start-consumers":
        return this.startConsumers();
      case "start-producers":
        return this.startProducers(command.t0Ns);
      case "flush":
        return this.flush();
      case "stop-producers":
        if (command.finishScheduleWithinMs !== undefined) await this.producersFinished(command.finishScheduleWithinMs);
        return this.stopProducers(command.giveUpAfterMs);
      case "stop-consumers":
        await Promise.all(this.members.map((m) => m.close()));
        await this.lagSampler?.settle(SETTLED_LAG_WITHIN_MS);
        // Nothing will be projected any more: a miss still waiting was never seen.
        this.waiters?.close();
        return undefined;
      case "check-end":
        return this.checkEnd(command.sentPerKey);
      case "sent-so-far":
        return this.sentSoFar();
      case "kill-member":
        return this.killMember(command);
      case "watch-first":
        for (const counter of command.counters) this.recorder.watchFirst(counter, command.afterNs);
        return undefined;
      case "teardown":
        await this.readModel?.clear();
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
    // The wake clock's sleeper thread starts here, long before t0: started by the first wake, its
    // start-up (a Node.js thread, 0.1 s and more on a loaded machine) made that wake late. Awaited
    // just before t0 instead, it made the whole start late (coordinated-omission test: p99 0.8-1.6 s
    // for a 0.5 s stall).
    const s = this.spec;
    const paced = s.producers.some((p) => p.load.kind === "open") || s.rehydrator !== undefined || (s.readSide?.queryStages.length ?? 0) > 0;
    const sleeper = paced ? threadWakeClock.prepare() : Promise.resolve();
    const factory = await loadAdapterFactory(this.spec.adapter);
    this.adapter = factory.create(this.spec.adapterOptions);
    await this.adapter.connect();
    await sleeper;
    return this.adapter.info();
  }

  private async startConsumers(): Promise<void> {
    const readSide = this.spec.readSide;
    if (readSide) {
      this.readModel = await openReadModel(readSide.readModel);
      this.waiters = new VisibilityWaiters(readSide.keys);
    }
    const projection: Projection | undefined =
      this.readModel && this.lagBoard && this.waiters ? { readModel: this.readModel, lag: this.lagBoard, waiters: this.waiters } : undefined;
    this.projection = projection;
    for (const m of this.spec.members) await this.startMember(m);
  }

  private async startMember(m: MemberSpec, ownCounter?: string): Promise<void> {
    let log = this.deliveryLogs.get(m.group);
    if (!log) {
      log = new DeliveryLog();
      this.deliveryLogs.set(m.group, log);
    }
    const { projects, ...options } = m;
    const projection = projects ? this.projection : undefined;
    const member = new GroupMember(this.recorder, log, {
      ...options,
      runTag: this.spec.runTag,
      ...(projection ? { projection } : {}),
      ...(ownCounter ? { ownCounter } : {}),
    });
    await member.start(this.ready, this.spec.stream);
    this.members.push(member);
  }

  /** Only the host that runs the member answers; the replacement's receipts are counted as `received-by:<replacement>`. */
  private async killMember(c: Extract<HostCommand, { type: "kill-member" }>): Promise<boolean> {
    const i = this.members.findIndex((m) => m.group === c.group && m.member === c.member);
    const victim = this.members[i];
    const spec = this.spec.members.find((m) => m.group === c.group && m.member === c.member);
    if (!victim || !spec) return false;
    this.members.splice(i, 1);
    await victim.kill();
    if (c.replaceAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, c.replaceAfterMs));
    await this.startMember({ ...spec, member: c.replacement }, `received-by:${c.replacement}`);
    return true;
  }

  private sentSoFar(): ProducersStopped {
    return { sentPerKey: this.producers.map(({ source }) => ({ producerId: source.producerId, nextSeq: [...source.sentPerKey()] })) };
  }

  private async startProducers(t0Ns: number): Promise<void> {
    for (const p of this.spec.producers) {
      const source = this.buildSource(p);
      const producer = this.buildProducer(p, source, await this.ready.createProducer(this.spec.stream));
      this.producers.push({ producer, source });
    }
    const r = this.spec.rehydrator;
    if (r) {
      this.rehydrator = new AggregateRehydrator(this.ready, this.spec.stream, this.recorder, {
        chooseKey: keyChooser(r.keys, r.keyDistribution),
        intervalS: r.intervalS,
        snapshotEvery: r.snapshotEvery,
        durationS: r.durationS,
        runTag: this.spec.runTag,
        maxInFlight: REHYDRATIONS_IN_FLIGHT,
      });
    }
    const readSide = this.spec.readSide;
    if (readSide && this.readModel && this.latestCommands && this.waiters && readSide.queryStages.length > 0) {
      this.queryLoad = new QueryLoad(new PiecewiseLinearSchedule(readSide.queryStages), this.readModel, this.latestCommands, this.waiters, this.recorder, {
        maxInFlight: QUERIES_IN_FLIGHT,
        waitForMs: MISS_WAIT_MS,
        chooseKey: keyChooser(readSide.keys, readSide.keyDistribution),
      });
    }
    // Start together, after every connection is open, so none begins behind its schedule.
    for (const { producer } of this.producers) producer.start(t0Ns);
    this.rehydrator?.start(t0Ns);
    this.queryLoad?.start(t0Ns);
    // Start-up (module loading, WASM compilation, connecting) is not load: measure from here.
    this.loopDelay.reset();
    this.takeCpuUs();
  }

  private buildSource(p: ProducerSpec): AppendSource {
    const chooseKey = keyChooser(p.keys, p.keyDistribution);
    const events = new EventSource({ runTag: this.spec.runTag, producerId: p.producerId, keys: p.keys, payloadSize: p.payloadSize, chooseKey });
    if (p.commands) {
      const adapter = this.ready;
      const stream = this.spec.stream;
      const reload =
        p.commands.reloadOnConflict && adapter.readAggregate
          ? async (keyIndex: number, known: number) => (await adapter.readAggregate?.(stream, keyName(keyIndex), known))?.version ?? known
          : undefined;
      return new VersionedCommandSource(events, this.recorder, {
        keys: p.keys,
        chooseKey,
        eventsPerCommand: p.commands.eventsPerCommand,
        staleness: p.commands.staleness,
        ...(reload ? { reload } : {}),
      });
    }
    if (p.projected && this.lagBoard && this.latestCommands) return new ProjectedCommandSource(events, this.lagBoard, this.latestCommands);
    return events;
  }

  private async checkEnd(sentPerKey: ProducersStopped["sentPerKey"]): Promise<EndCheck> {
    const r = this.spec.rehydrator;
    const storedEvents = r && r.keys <= END_CHECK_MAX_KEYS && this.rehydrator ? await this.rehydrator.totalEvents(r.keys) : null;
    let notVisible: number | null = null;
    const readModel = this.readModel;
    if (readModel) {
      const pending: Promise<number>[] = [];
      for (const { producerId, nextSeq } of sentPerKey) {
        nextSeq.forEach((sent, k) => {
          if (sent > 0) pending.push(readModel.visible(producerId, k).then((shown) => Math.max(0, sent - shown)));
        });
      }
      // One connection, many reads in flight: pipelined on the wire, not one round trip each.
      notVisible = (await Promise.all(pending)).reduce((a, b) => a + b, 0);
    }
    return { storedEvents, notVisible };
  }

  private buildProducer(p: ProducerSpec, source: AppendSource, eventProducer: Awaited<ReturnType<StreamAdapter["createProducer"]>>): Producer {
    const load = p.load;
    if (load.kind === "open") {
      return new OpenLoopProducer(new PiecewiseLinearSchedule(load.stages), source, eventProducer, this.recorder, load);
    }
    return new ClosedLoopProducer(source, eventProducer, this.recorder, load);
  }

  private async flush(): Promise<HostInterval> {
    // Asked first, answered while the interval is cut: the lag of this very reading.
    const lag = this.lagSampler?.read();
    const takenAtNs = monotonicNowNs();
    const deliveries: Record<string, Receipts> = {};
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
    if (this.producers.length > 0) {
      // What pacing the producers costs: the whole thread (sending, acknowledgements, and whatever
      // else shares it) and the wake clock's sleeper thread.
      const cpu = this.takeCpuUs();
      this.recorder.count("cpuUs:producerThreads", cpu.thread);
      this.recorder.count("cpuUs:wakeSleepers", cpu.sleeper);
    }
    const eventLoop = {
      p99Ms: this.loopDelay.count > 0 ? loopDelayMs(this.loopDelay.percentile(99)) : 0,
      maxMs: this.loopDelay.count > 0 ? loopDelayMs(this.loopDelay.max) : 0,
    };
    this.loopDelay.reset();
    const snapshot = this.recorder.take();
    return { snapshot, deliveries, takenAtNs, failed, lag: (await lag) ?? {}, eventLoop };
  }

  /** CPU time of this thread and its sleeper since the last call, µs. */
  private takeCpuUs(): { thread: number; sleeper: number } {
    const { user, system } = process.threadCpuUsage();
    const now = { thread: user + system, sleeper: threadWakeClock.sleeperCpuUs };
    const delta = { thread: now.thread - this.reportedCpuUs.thread, sleeper: now.sleeper - this.reportedCpuUs.sleeper };
    Object.assign(this.reportedCpuUs, now);
    return delta;
  }

  /**
   * The coordinator's clock may reach the end of the schedule a few ms before this thread has sent
   * its last due events (timer jitter on a busy machine, the in-flight limit): wait for them.
   */
  private async producersFinished(withinMs: number): Promise<void> {
    const until = Date.now() + withinMs;
    while (this.producers.some(({ producer }) => !producer.finished) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Appends unanswered after `giveUpAfterMs` count as failed; reads still out are left to the close. */
  private async stopProducers(giveUpAfterMs: number): Promise<ProducersStopped> {
    let timer: NodeJS.Timeout | undefined;
    const reads = Promise.race([
      Promise.all([this.rehydrator?.stop(), this.queryLoad?.stop()]),
      new Promise((resolve) => (timer = setTimeout(resolve, giveUpAfterMs))),
    ]);
    await Promise.all([...this.producers.map(({ producer }) => producer.stop(giveUpAfterMs)), reads]);
    clearTimeout(timer);
    return this.sentSoFar();
  }

  private async close(): Promise<void> {
    this.loopDelay.disable();
    await threadWakeClock.close();
    await this.adapter?.close();
    await this.readModel?.close();
    this.recorder.destroy();
  }
}

