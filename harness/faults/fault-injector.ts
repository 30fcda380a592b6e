import type { ClusterMembers, ServerControl } from "../../adapters/contract/service.js";
import type { DeliveryVerifier, SeqMarks } from "../measurement/delivery-verifier.js";
import { seqMarks } from "../measurement/delivery-verifier.js";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import type { HostClient } from "../runtime/host-client.js";
import type { ProducersStopped } from "../runtime/host-protocol.js";
import { describeFault, faultLengthS, type FaultPlan } from "./fault-plan.js";
import type { SlowNetworkProxy } from "./toxiproxy.js";

/**
 * A later fault's window of sends opens this long before it: a kill loses what was acknowledged but
 * not yet durable (up to a second or two with AOF `everysec`), which was sent before the kill.
 */
export const LOSS_LOOKBACK_S = 2;

/** What a fault did and when, as the coordinator's measurements need it afterwards. */
export interface FaultRecord {
  readonly plan: FaultPlan;
  readonly description: string;
  /** Sends from here on belong to this fault's window (until the next fault's). */
  windowStart: SeqMarks | undefined;
  windowStartS: number | undefined;
  /** Per group, duplicated and out-of-order receipts counted when the window opened. */
  anomaliesAtStart: Record<string, { duplicated: number; outOfOrder: number }>;
  /** Seconds since t0: the fault was applied, and the disruption was over (resumed, restarted and ready, replaced). */
  startedS: number | undefined;
  endedS: number | undefined;
  endedNs: number | undefined;
  /** From here the first acknowledgement and consumption are watched: the end, or a member's kill (the others serve on). */
  watchFromNs: number | undefined;
  /** Monotonic ns of the first acknowledgement / consumed event / replacement's event after `watchFromNs`. */
  firstAckNs: number | undefined;
  firstConsumedNs: number | undefined;
  replacementFirstNs: number | undefined;
  /** kill-member: the replacement's name. */
  replacement: string | undefined;
  /** kill-broker, pause-broker: the member killed or paused, and the role it held. */
  member: string | undefined;
  /** kill-broker by role: monotonic ns when the metadata first named another member in it. */
  takenOverNs: number | undefined;
  error: string | undefined;
}

export interface FaultTargets {
  /** The adapter's server; `unavailable` says why it cannot be controlled. */
  readonly server: ServerControl | { readonly unavailable: string } | undefined;
  /** The entry's stream, for a role a cluster resolves per stream (the leader of its first partition). */
  readonly stream: string;
  readonly proxy: SlowNetworkProxy | undefined;
  readonly hosts: readonly HostClient[];
  readonly groups: readonly string[];
  readonly verifier: DeliveryVerifier;
  readonly note: (message: string) => void;
}

const ACKED = "acked";
/** How often the cluster is asked who holds a killed member's role: the election time's resolution. */
const TAKEOVER_POLL_MS = 100;
const receivedCounter = (group: string) => `received:${group}`;

/**
 * Applies an entry's faults at their times, one after the other, and keeps what the result needs
 * to judge each: the sends of its window, when it started and ended, and the first acknowledgement
 * and consumption after it. Runs beside the coordinator's flush loop; `finish` undoes whatever is
 * still in effect (a paused server is resumed, a killed one started) so the drain and teardown work.
 */
export class FaultInjector {
  readonly records: FaultRecord[];
  private readonly stopping = new AbortController();
  private running: Promise<void> = Promise.resolve();
  private undo: (() => Promise<void>) | undefined;
  private t0Ns = 0;

  constructor(
    faults: readonly FaultPlan[],
    private readonly targets: FaultTargets,
  ) {
    this.records = faults.map((plan) => ({
      plan,
      description: describeFault(plan),
      windowStart: undefined,
      windowStartS: undefined,
      anomaliesAtStart: {},
      startedS: undefined,
      endedS: undefined,
      endedNs: undefined,
      watchFromNs: undefined,
      firstAckNs: undefined,
      firstConsumedNs: undefined,
      replacementFirstNs: undefined,
      replacement: undefined,
      member: undefined,
      takenOverNs: undefined,
      error: undefined,
    }));
  }

  /** Why these faults cannot run against these targets, or null: checked before any load. */
  static unsupported(faults: readonly FaultPlan[], server: FaultTargets["server"]): string | null {
    for (const f of faults) {
      if (f.kind !== "pause-server" && f.kind !== "restart-server") continue;
      if (!server) return `${f.kind} needs a server, and this adapter has none (it runs in-process)`;
      if ("unavailable" in server) return `${f.kind}: ${server.unavailable}`;
      if (f.kind === "restart-server" && server.restartUnavailable) return `restart-server: ${server.restartUnavailable}`;
    }
    for (const f of faults) {
      if (f.kind !== "kill-broker" && f.kind !== "pause-broker") continue;
      if (!server || "unavailable" in server) return `${f.kind} needs a cluster eventbench started, and ${server ? server.unavailable : "this adapter has no server"}`;
      const members = server.members;
      if (!members) return `${f.kind} needs a cluster of brokers, and this server is a single one (its service's settings may start more)`;
      const known = `expected a member ${members.members.join(", ")} or a role ${Object.keys(members.roles).join(", ") || "(none)"}`;
      if (typeof f.broker === "number" ? !members.members.includes(f.broker) : !(f.broker in members.roles)) return `${f.kind}: broker ${JSON.stringify(f.broker)}: ${known}`;
    }
    return null;
  }

  start(t0Ns: number): void {
    this.t0Ns = t0Ns;
    this.running = this.applyAll();
  }

  /** Called with every interval's first-growth notes (see IntervalRecorder.watchFirst). */
  noteFirsts(firsts: Readonly<Record<string, number>>): void {
    for (const r of this.records) {
      if (r.watchFromNs === undefined) continue;
      for (const [counter, ns] of Object.entries(firsts)) {
        if (ns < r.watchFromNs) continue;
        if (counter === ACKED) r.firstAckNs = Math.min(r.firstAckNs ?? ns, ns);
        else if (r.replacement && counter === `received-by:${r.replacement}`) r.replacementFirstNs = Math.min(r.replacementFirstNs ?? ns, ns);
        else if (counter.startsWith("received:")) r.firstConsumedNs = Math.min(r.firstConsumedNs ?? ns, ns);
      }
    }
  }

  /**
   * Seconds since t0 until which a silent system is the fault's doing, not a failure: Infinity
   * while a fault is in effect, else the end of the last one (0 before any).
   */
  excusedUntilS(): number {
    let until = 0;
    for (const r of this.records) {
      if (r.startedS === undefined) continue;
      if (r.endedS === undefined && r.error === undefined) return Infinity;
      until = Math.max(until, r.endedS ?? r.startedS);
    }
    return until;
  }

  /** Stops applying faults and undoes the one in effect. */
  async finish(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await this.undoCurrent();
  }

  private sinceT0(): number {
    return (monotonicNowNs() - this.t0Ns) / 1e9;
  }

  private async sleepUntil(s: number): Promise<boolean> {
    const ms = (this.t0Ns + s * 1e9 - monotonicNowNs()) / 1e6;
    if (ms > 0 && !this.stopping.signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        this.stopping.signal.addEventListener("abort", done, { once: true });
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    return !this.stopping.signal.aborted;
  }

  private async applyAll(): Promise<void> {
    let previousEndS = 0;
    for (const r of this.records) {
      // The first window holds every send before the fault (a kill without persistence loses them all).
      if (r === this.records[0]) this.openFirstWindow(r);
      else {
        if (!(await this.sleepUntil(Math.max(previousEndS, r.plan.atS - LOSS_LOOKBACK_S)))) return;
        await this.openWindow(r);
      }
      if (!(await this.sleepUntil(r.plan.atS))) return;
      try {
        await this.apply(r);
      } catch (error) {
        r.error = (error as Error).message;
        this.targets.note(`fault ${r.plan.kind} at ${r.plan.atS} s failed: ${r.error}`);
        await this.undoCurrent().catch(() => {});
      }
      previousEndS = Math.max(r.plan.atS + faultLengthS(r.plan), this.sinceT0());
    }
  }

  private openFirstWindow(r: FaultRecord): void {
    r.windowStart = new Map();
    r.windowStartS = 0;
    for (const g of this.targets.groups) r.anomaliesAtStart[g] = { duplicated: 0, outOfOrder: 0 };
  }

  private async openWindow(r: FaultRecord): Promise<void> {
    const sent = await Promise.all(this.targets.hosts.map((h) => h.request<ProducersStopped>({ type: "sent-so-far" })));
    r.windowStart = seqMarks(sent.flatMap((s) => s.sentPerKey));
    r.windowStartS = this.sinceT0();
    for (const g of this.targets.groups) r.anomaliesAtStart[g] = this.targets.verifier.anomalies(g);
  }

  private async apply(r: FaultRecord): Promise<void> {
    const f = r.plan;
    r.startedS = this.sinceT0();
    this.targets.note(`fault at ${r.startedS.toFixed(1)} s: ${r.description}`);
    switch (f.kind) {
      case "pause-server": {
        const server = this.server();
        await server.pause();
        this.undo = () => server.resume();
        await this.sleepUntil(f.atS + f.forS);
        await this.undoCurrent();
        break;
      }
      case "restart-server": {
        const server = this.server();
        await server.kill();
        this.undo = () => server.restart();
        await this.sleepUntil(f.atS + f.downS);
        await this.undoCurrent();
        break;
      }
      case "kill-member": {
        r.replacement = `${f.member}-replacement-${this.records.indexOf(r) + 1}`;
        const answers = await Promise.all(
          this.targets.hosts.map((h) =>
            h.request<boolean>({ type: "kill-member", group: f.group, member: f.member, replacement: r.replacement as string, replaceAfterMs: f.replaceAfterS * 1000 }, 120_000),
          ),
        );
        if (!answers.some(Boolean)) throw new Error(`${f.group}/${f.member} is not running (consumers not started, or killed already)`);
        break;
      }
      case "kill-broker":
      case "pause-broker": {
        const members = this.members();
        const member = typeof f.broker === "number" ? f.broker : await members.holder(f.broker, this.targets.stream);
        r.member = typeof f.broker === "number" ? `broker ${member}` : `broker ${member}, ${f.broker} (${members.roles[f.broker]})`;
        r.startedS = this.sinceT0();
        const kill = f.kind === "kill-broker";
        this.targets.note(`fault at ${r.startedS.toFixed(1)} s: ${kill ? "killing" : "pausing"} ${r.member}`);
        await (kill ? members.kill(member) : members.pause(member));
        this.undo = () => (kill ? members.restart(member) : members.resume(member));
        // The other members serve on: resumption counts from the kill or pause, not from its end.
        await this.watchFrom(r, monotonicNowNs(), []);
        const back = { done: false };
        const takeover = typeof f.broker === "string" ? this.watchTakeover(r, members, f.broker, member, back) : Promise.resolve();
        await this.sleepUntil(f.atS + (kill ? f.downS : f.forS));
        await this.undoCurrent().finally(() => (back.done = true));
        await takeover;
        break;
      }
      case "slow-network": {
        const proxy = this.targets.proxy;
        if (!proxy) throw new Error("no proxy in front of the server");
        await proxy.slow(f.latencyMs, f.jitterMs, f.bandwidthKBps);
        this.undo = () => proxy.restore();
        await this.sleepUntil(f.atS + f.forS);
        await this.undoCurrent();
        break;
      }
    }
    const endedNs = monotonicNowNs();
    r.endedNs = endedNs;
    r.endedS = this.sinceT0();
    if (r.watchFromNs === undefined) await this.watchFrom(r, endedNs, r.replacement ? [`received-by:${r.replacement}`] : []);
  }

  private async watchFrom(r: FaultRecord, fromNs: number, extra: readonly string[]): Promise<void> {
    r.watchFromNs = fromNs;
    const counters = [ACKED, ...this.targets.groups.map(receivedCounter), ...extra];
    await Promise.all(this.targets.hosts.map((h) => h.request({ type: "watch-first", counters, afterNs: fromNs })));
  }

  /**
   * Asks the cluster who holds `role` until another member than the killed or paused one does (the
   * election, as its metadata shows it), or that member is back and answering (its return may be
   * what moves the role: a new incarnation ends the old one's leadership).
   */
  private async watchTakeover(r: FaultRecord, members: ClusterMembers, role: string, killed: number, back: { done: boolean }): Promise<void> {
    let last = `broker ${killed}`;
    // Not cut short when the load ends: the restart is awaited then too, and the election may come first.
    while (!back.done) {
      const holder = await members.holder(role, this.targets.stream).catch((error: Error) => {
        last = error.message;
        return killed;
      });
      if (holder !== killed) {
        r.takenOverNs = monotonicNowNs();
        this.targets.note(`fault: broker ${holder} holds the ${role} role ${(this.sinceT0() - (r.startedS ?? 0)).toFixed(1)} s after the ${r.plan.kind === "pause-broker" ? "pause" : "kill"}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, TAKEOVER_POLL_MS));
    }
    this.targets.note(`fault: no other broker held the ${role} role before broker ${killed} was back (last answer: ${last})`);
  }

  private async undoCurrent(): Promise<void> {
    const undo = this.undo;
    this.undo = undefined;
    await undo?.();
  }

  private members(): ClusterMembers {
    const members = this.server().members;
    if (!members) throw new Error("this server is not a cluster");
    return members;
  }

  private server(): ServerControl {
    const server = this.targets.server;
    if (!server || "unavailable" in server) throw new Error(server ? server.unavailable : "this adapter has no server");
    return server;
  }
}
