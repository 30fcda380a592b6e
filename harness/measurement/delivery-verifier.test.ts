import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryVerifier } from "./delivery-verifier.js";

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
    // the only per-key state left is the watermark: no set of seen sequence numbers was needed
    const streams = (v as unknown as { groups: Map<string, { streams: Map<number, { above?: Set<number> }> }> }).groups.get("g")?.streams;
    assert.equal([...(streams?.values() ?? [])][0]?.above, undefined);
  });
});
