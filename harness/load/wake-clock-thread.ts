/**
 * The sleeper thread of a precise wake clock (see precise-wake.ts): it sleeps until the time the
 * owning thread asked for, then wakes it with Atomics.notify, which reaches the owner's event loop
 * at once (a sub-millisecond wake that Node's timers cannot give). Blocking here costs the owner
 * nothing: its loop keeps serving I/O, timers and messages while this thread sleeps.
 */
import { workerData } from "node:worker_threads";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import { WAKE_SLOTS } from "./wake-slots.js";

const shared = workerData as SharedArrayBuffer;
const slots = new Int32Array(shared);
const times = new Float64Array(shared);

for (;;) {
  const request = Atomics.load(slots, WAKE_SLOTS.request);
  const wakeAtNs = times[WAKE_SLOTS.wakeAtNs] as number;
  const remainingNs = wakeAtNs - monotonicNowNs();
  if (wakeAtNs === 0) {
    Atomics.wait(slots, WAKE_SLOTS.request, request);
    continue;
  }
  if (remainingNs > 0) {
    // Returns early when a newer request comes in, and then looks again.
    Atomics.wait(slots, WAKE_SLOTS.request, request, remainingNs / 1e6);
    continue;
  }
  if (Atomics.load(slots, WAKE_SLOTS.request) !== request) continue;
  Atomics.store(slots, WAKE_SLOTS.fired, request);
  Atomics.notify(slots, WAKE_SLOTS.fired);
  const cpu = process.threadCpuUsage();
  times[WAKE_SLOTS.cpuUs] = cpu.user + cpu.system;
  Atomics.wait(slots, WAKE_SLOTS.request, request);
}
