import assert from "node:assert/strict";
import { MessageChannel } from "node:worker_threads";
import { after, describe, it } from "node:test";
import { monotonicNowNs } from "../measurement/monotonic-clock.js";
import { SPIN_NS, threadWakeClock } from "./precise-wake.js";

const MS = 1_000_000;

/** Resolves with the clock's reading when the wake fires. */
const wokenAt = (dueNs: number) => new Promise<number>((resolve) => threadWakeClock.wakeAt(dueNs, () => resolve(monotonicNowNs())));

after(() => threadWakeClock.close());

describe("precise wake clock", () => {
  it("wakes at or after each due time, never before, in due order, however many are pending", async () => {
    const now = monotonicNowNs();
    // Far ones (the sleeper thread), near ones (event-loop turns only), and ones already past.
    const dues = [30, 0.05, 12, -1, 3, 0.12, 25, 7, 0.001, 18].map((ms) => now + ms * MS);
    const fired: number[] = [];
    const woken = await Promise.all(
      dues.map(
        (due) =>
          new Promise<number>((resolve) =>
            threadWakeClock.wakeAt(due, () => {
              fired.push(due);
              resolve(monotonicNowNs());
            }),
          ),
      ),
    );
    woken.forEach((at, i) => assert.ok(at >= (dues[i] as number), `wake ${i} fired ${((dues[i] as number) - at) / 1e3} µs before its due time`));
    assert.deepEqual(fired, [...dues].sort((a, b) => a - b), "fired in due order");
  });

  it("a cancelled wake never fires, and the others still do", async () => {
    let cancelledFired = false;
    const now = monotonicNowNs();
    threadWakeClock.wakeAt(now + 2 * MS, () => (cancelledFired = true)).cancel();
    threadWakeClock.wakeAt(now + 0.05 * MS, () => (cancelledFired = true)).cancel();
    const at = await wokenAt(now + 5 * MS);
    assert.ok(at >= now + 5 * MS);
    assert.equal(cancelledFired, false);
  });

  it("keeps serving the event loop in the final stretch: a message that arrives while it waits is handled before the wake", async () => {
    const { port1, port2 } = new MessageChannel();
    const order: string[] = [];
    const received = new Promise<void>((resolve) =>
      port2.once("message", () => {
        order.push("message");
        resolve();
      }),
    );
    port1.postMessage("reply"); // like a server's reply on its way in
    // Due within the final stretch: waited in event-loop turns only, never in one blocking spin.
    await new Promise<void>((resolve) =>
      threadWakeClock.wakeAt(monotonicNowNs() + SPIN_NS / 2, () => {
        order.push("wake");
        resolve();
      }),
    );
    await received;
    port1.close();
    assert.deepEqual(order, ["message", "wake"]);
  });

  it("does not hold the thread while the sleeper waits: timers and other turns run before a far wake", async () => {
    let turns = 0;
    let timerFired = false;
    let observing = true;
    const observe = () => {
      turns++;
      if (observing) setImmediate(observe);
    };
    setImmediate(observe);
    setTimeout(() => (timerFired = true), 1);
    await wokenAt(monotonicNowNs() + 40 * MS);
    observing = false;
    assert.ok(timerFired, "a 1 ms timer fired before a wake 40 ms ahead");
    assert.ok(turns > 1, `other callbacks had turns of the loop meanwhile (${turns})`);
  });
});
