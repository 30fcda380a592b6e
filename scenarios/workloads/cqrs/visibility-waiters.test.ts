import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { VisibilityWaiters } from "./visibility-waiters.js";

const env = (producerId: number, keyIndex: number, seq: number) => ({ runTag: 1, producerId, keyIndex, seq, intendedNs: 0 });

describe("visibility waiters", () => {
  it("releases a waiter with the time of the batch that made its command visible, and only that one", async () => {
    const waiters = new VisibilityWaiters(10);
    const first = waiters.whenVisible(0, 3, 5, 1_000);
    const other = waiters.whenVisible(1, 3, 0, 50);
    waiters.appliedBatch([env(0, 3, 4)], 100); // seq 4 is not seq 5
    waiters.appliedBatch([env(0, 2, 9), env(0, 3, 5)], 200);
    assert.equal(await first, 200);
    assert.equal(await other, null, "producer 1's command never became visible: released empty after its timeout");
  });

  it("a command applied before the waiter registered is visible at once", async () => {
    const waiters = new VisibilityWaiters(10);
    waiters.appliedBatch([env(0, 1, 7)], 100);
    const at = await waiters.whenVisible(0, 1, 6, 1_000);
    assert.ok(at !== null && at > 0);
  });

  it("close releases every waiter unanswered", async () => {
    const waiters = new VisibilityWaiters(10);
    const pending = waiters.whenVisible(0, 0, 0, 60_000);
    waiters.close();
    assert.equal(await pending, null);
  });
});
