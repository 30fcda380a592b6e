import { Worker } from "node:worker_threads";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import { WAKE_SLOTS } from "./wake-slots.js";

/**
 * The last stretch before a due time is waited in event-loop turns (setImmediate): each turn polls
 * I/O and runs due timers, then looks at the clock. The sleeper thread wakes the loop this much
 * before the due time, which covers its own lateness (Linux's 50 µs timer slack, then the
 * cross-thread wake-up).
 */
export const SPIN_NS = 150_000;

export interface Wakeup {
  cancel(): void;
}

interface PendingWake {
  readonly dueNs: number;
  readonly onDue: () => void;
}

/**
 * Wakes open-loop schedules on time. Node's timers fire on a 1 ms grid, so a sender that sleeps on
 * them sends ~0.7 ms late on average, which is ten times a loopback server's service time. Three ways to finish the wait,
 * measured with a prototype of each on this project's 2-vCPU machine (docs/BENCHMARKS.md,
 * "Scheduler precision"):
 *
 * - setTimeout, then setImmediate turns up to the due time: on time (p50 ~1 µs), but a timer
 *   fires up to 1 ms early, so the thread turns the loop ~0.7 ms per wake: 92 % of a core at
 *   1,000/s;
 * - setTimeout, then Atomics.wait in the thread itself: on time and cheap (11 %), but the thread
 *   sleeps with its I/O unread: a loopback reply waited ~0.9 ms (p50) for the nap to end;
 * - a sleeper thread that Atomics.wait-s until shortly before the due time and then notifies this
 *   thread (Atomics.waitAsync resolves in its event loop at once), then turns up to the due time:
 *   on time (p50 ~2 µs), I/O served throughout, 12 % of a core at 1,000/s. This is the one used.
 *   At 20,000/s the due times are 50 µs apart, inside the final stretch: the thread turns its
 *   loop all the time, as any of the three would.
 *
 * One clock per thread (module state, as each worker has its own), shared by every schedule on
 * the thread: the sleeper is asked for the earliest of them. A wake fires at or after its due
 * time, never before; between the sleeper's notification and the due time the loop keeps turning.
 */
class PreciseWakeClock {
  private readonly pending: PendingWake[] = [];
  private sleeper: { worker: Worker; online: Promise<void>; slots: Int32Array; times: Float64Array } | undefined;
  /** The time the sleeper was last asked to wake at, until it has. */
  private askedForNs = Infinity;
  private waitingForSleeper = false;
  private turning = false;

  /** Calls `onDue` once the monotonic clock reads `dueNs` or later (never before), unless cancelled. */
  wakeAt(dueNs: number, onDue: () => void): Wakeup {
    const wake: PendingWake = { dueNs, onDue };
    this.pending.push(wake);
    this.arm();
    return {
      cancel: () => {
        const i = this.pending.indexOf(wake);
        if (i >= 0) this.pending.splice(i, 1);
      },
    };
  }

  /**
   * Starts the sleeper thread now and resolves once it runs: a thread's first wake would otherwise
   * wait for the sleeper's start-up (50-150 ms on this loaded 2-core machine), late by that much.
   */
  async prepare(): Promise<void> {
    await (this.sleeper ??= this.startSleeper()).online;
  }

  /** CPU time (µs) the sleeper thread has used so far: part of what precise waking costs. */
  get sleeperCpuUs(): number {
    return this.sleeper ? (this.sleeper.times[WAKE_SLOTS.cpuUs] as number) : 0;
  }

  /** Stops the sleeper thread (a later wakeAt starts a new one). */
  async close(): Promise<void> {
    const sleeper = this.sleeper;
    this.sleeper = undefined;
    this.askedForNs = Infinity;
    await sleeper?.worker.terminate();
  }

  private earliest(): PendingWake | undefined {
    let first: PendingWake | undefined;
    for (const w of this.pending) if (!first || w.dueNs < first.dueNs) first = w;
    return first;
  }

  private arm(): void {
    const next = this.earliest();
    if (!next || this.turning) return;
    const sleepUntilNs = next.dueNs - SPIN_NS;
    if (sleepUntilNs <= monotonicNowNs()) {
      this.turning = true;
      setImmediate(this.turn);
      return;
    }
    if (sleepUntilNs < this.askedForNs || !this.waitingForSleeper) this.askSleeper(sleepUntilNs);
  }

  private readonly turn = (): void => {
    this.turning = false;
    const now = monotonicNowNs();
    const due = this.pending.filter((w) => w.dueNs <= now).sort((a, b) => a.dueNs - b.dueNs);
    for (const w of due) this.pending.splice(this.pending.indexOf(w), 1);
    for (const w of due) w.onDue();
    this.arm();
  };

  private askSleeper(atNs: number): void {
    const s = (this.sleeper ??= this.startSleeper());
    const fired = Atomics.load(s.slots, WAKE_SLOTS.fired);
    s.times[WAKE_SLOTS.wakeAtNs] = atNs;
    Atomics.add(s.slots, WAKE_SLOTS.request, 1);
    Atomics.notify(s.slots, WAKE_SLOTS.request);
    this.askedForNs = atNs;
    if (this.waitingForSleeper) return; // the notification already awaited covers this request too
    this.waitingForSleeper = true;
    const wait = Atomics.waitAsync(s.slots, WAKE_SLOTS.fired, fired);
    const woken = () => {
      this.waitingForSleeper = false;
      this.askedForNs = Infinity;
      this.arm();
    };
    if (wait.async) void wait.value.then(woken);
    else queueMicrotask(woken);
  }

  private startSleeper() {
    const shared = new SharedArrayBuffer(WAKE_SLOTS.bytes);
    const worker = new Worker(new URL("./wake-clock-thread.js", import.meta.url), { workerData: shared });
    // The sleeper never keeps a thread alive (it has no error to report short of failing to start,
    // which, unhandled, fails this thread as it should).
    worker.unref();
    const online = new Promise<void>((resolve) => worker.once("online", () => resolve()));
    return { worker, online, slots: new Int32Array(shared), times: new Float64Array(shared) };
  }
}

export const threadWakeClock = new PreciseWakeClock();
