import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PartitionCommitTracker } from "./partition-commit-tracker.js";

describe("partition commit tracker", () => {
  it("commits only past a contiguous run of acknowledged offsets", () => {
    const t = new PartitionCommitTracker();
    for (const o of [10, 11, 12, 13]) t.delivered(0, o);
    t.acked(0, 11);
    t.acked(0, 12);
    assert.deepEqual(t.pending(), [], "10 is not acknowledged yet");
    t.acked(0, 10);
    assert.deepEqual(t.pending(), [{ partition: 0, offset: 13 }]);
    t.markCommitted(0, 13);
    assert.deepEqual(t.pending(), []);
    t.acked(0, 13);
    assert.deepEqual(t.pending(), [{ partition: 0, offset: 14 }]);
  });

  it("forgets revoked partitions", () => {
    const t = new PartitionCommitTracker();
    t.delivered(0, 1);
    t.delivered(1, 1);
    t.retain(new Set([1]));
    t.acked(0, 1);
    t.acked(1, 1);
    assert.deepEqual(t.pending(), [{ partition: 1, offset: 2 }]);
  });
});
