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

  it("counts an acknowledgement of either copy of an offset delivered again, and commits past it", () => {
    const t = new PartitionCommitTracker();
    for (const o of [0, 1, 2, 3]) t.delivered(0, o);
    t.acked(0, 0);
    // read again from offset 1 (a rejoin reads from the committed offset): 1 to 3 come twice
    for (const o of [1, 2, 3]) t.delivered(0, o);
    t.acked(0, 2);
    t.acked(0, 2);
    t.acked(0, 1);
    assert.deepEqual(t.pending(), [{ partition: 0, offset: 3 }]);
    t.acked(0, 3);
    t.acked(0, 3);
    assert.deepEqual(t.pending(), [{ partition: 0, offset: 4 }]);
    t.delivered(0, 4);
    t.acked(0, 4);
    assert.deepEqual(t.pending(), [{ partition: 0, offset: 5 }], "a late acknowledgement of an old copy does not hold the partition back");
  });

  it("ignores a copy of an offset below what may be committed already", () => {
    const t = new PartitionCommitTracker();
    for (const o of [5, 6]) t.delivered(0, o);
    t.acked(0, 5);
    t.acked(0, 6);
    t.delivered(0, 5); // the stream restarted from an older commit
    t.delivered(0, 6);
    t.delivered(0, 7);
    t.acked(0, 7);
    assert.deepEqual(t.pending(), [{ partition: 0, offset: 8 }]);
  });
});
