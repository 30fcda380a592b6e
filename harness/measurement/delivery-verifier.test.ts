import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryVerifier, ReceivedRanges, seqMarks } from "./delivery-verifier.js";

const triples = (...t: [number, number, number][]) => Uint32Array.from(t.flat());

describe("delivery verifier", () => {
  it("counts a clean run as sent = acked = consumed", () => {
    const v = new DeliveryVerifier(["g"]);
    v.sent(0, [3, 2]);
    v.receivePacked("g", triples([0, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 1], [0, 0, 2]));
    assert.deepEqual(v.counts("g"), { sent: 5, acked: 5, consumed: 5, lost: 0, duplicated: 0, outOfOrder: 0, foreign: 0 });
  });

  it("finds lost, duplicated and out-of-order events exactly", () => {
    const v = new DeliveryVerifier(["g"]);
    v.sent(1, [5]);
    v.receivePacked("g", triples([1, 0, 0], [1, 0, 2], [1, 0, 1], [1, 0, 2], [1, 0, 4]));
    // seq 3 never arrived; 1 came after 2; 2 came twice
    assert.deepEqual(v.counts("g"), { sent: 5, acked: 5, consumed: 4, lost: 1, duplicated: 1, outOfOrder: 1, foreign: 0 });
  });

  it("does not count a failed append as lost, nor as acknowledged", () => {
    const v = new DeliveryVerifier(["g"]);
    v.sent(0, [3]);
    v.failed(triples([0, 0, 1]));
    v.receivePacked("g", triples([0, 0, 0], [0, 0, 2]));
    assert.deepEqual(v.counts("g"), { sent: 3, acked: 2, consumed: 2, lost: 0, duplicated: 0, outOfOrder: 0, foreign: 0 });
  });

  it("keeps groups apart", () => {
    const v = new DeliveryVerifier(["a", "b"]);
    v.sent(0, [2]);
    v.receivePacked("a", triples([0, 0, 0], [0, 0, 1]));
    v.receivePacked("b", triples([0, 0, 1]));
    assert.equal(v.counts("a").lost, 0);
    assert.equal(v.counts("b").lost, 1);
  });

  it("keeps memory per key, not per event, while delivery is in order", () => {
    const v = new DeliveryVerifier(["g"]);
    const n = 100_000;
    const t = new Uint32Array(n * 3);
    for (let i = 0; i < n; i++) t.set([0, 0, i], i * 3);
    v.sent(0, [n]);
    v.receivePacked("g", t);
    assert.equal(v.counts("g").consumed, n);
    const streams = (v as unknown as { groups: Map<string, { streams: Map<number, ReceivedRanges> }> }).groups.get("g")?.streams;
    assert.equal([...(streams?.values() ?? [])][0]?.ranges, 1);
  });

  it("keeps memory per gap after a loss: everything received after it extends one range", () => {
    const r = new ReceivedRanges();
    for (let seq = 0; seq < 1000; seq++) r.receive(seq);
    for (let seq = 1500; seq < 100_000; seq++) r.receive(seq); // 500 lost
    assert.equal(r.ranges, 2);
    assert.equal(r.distinct, 99_500);
    assert.equal(r.countIn(900, 1600), 200);
  });

  it("merges ranges when an out-of-order event closes a gap, and finds duplicates inside any range", () => {
    const r = new ReceivedRanges();
    for (const seq of [0, 1, 3, 4, 6]) r.receive(seq);
    assert.equal(r.ranges, 3);
    assert.deepEqual(r.receive(2), { first: true, late: true });
    assert.equal(r.ranges, 2);
    assert.deepEqual(r.receive(5), { first: true, late: true });
    assert.equal(r.ranges, 1);
    assert.deepEqual(r.receive(3), { first: false, late: true });
    assert.equal(r.distinct, 7);
    assert.ok(r.has(6) && !r.has(7));
  });

  it("attributes lost events to the window they were sent in", () => {
    const v = new DeliveryVerifier(["g"]);
    v.sent(0, [10]);
    v.failed(triples([0, 0, 8]));
    // 3 and 4 lost (sent before the mark at 5), 7 lost after it; 8 failed, so not lost
    v.receivePacked("g", triples([0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 0, 5], [0, 0, 6], [0, 0, 9]));
    const start = seqMarks([]);
    const mark = seqMarks([{ producerId: 0, nextSeq: [5] }]);
    const end = seqMarks([{ producerId: 0, nextSeq: [10] }]);
    assert.equal(v.lostBetween("g", start, mark), 2);
    assert.equal(v.lostBetween("g", mark, end), 1);
    assert.equal(v.counts("g").lost, 3);
  });
});
