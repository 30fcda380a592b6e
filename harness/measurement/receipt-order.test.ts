import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Receipts } from "../load/group-member.js";
import { DeliveryVerifier } from "./delivery-verifier.js";
import { ReceiptOrder } from "./receipt-order.js";

/** Receipts of one thread: [seq, receivedNs] of producer 0, key 0. */
const receipts = (...r: [number, number][]): Receipts => ({
  triples: Uint32Array.from(r.flatMap(([seq]) => [0, 0, seq])),
  receivedNs: Float64Array.from(r.map(([, ns]) => ns)),
});

const seqs = (triples: Uint32Array | undefined) => Array.from(triples ?? []).filter((_, i) => i % 3 === 2);

describe("receipts of several consumer threads in one order", () => {
  it("merges the threads' receipts by receive time, holding back what may still have earlier ones on their way", () => {
    const order = new ReceiptOrder();
    // Thread 2 took its reading at 25, thread 1 at 40: seq 3 (at 30) waits for thread 2's next reading.
    const first = order.release([
      { deliveries: { g: receipts([0, 10], [3, 30]) }, takenAtNs: 40 },
      { deliveries: { g: receipts([1, 15], [2, 20]) }, takenAtNs: 25 },
    ]);
    assert.deepEqual(seqs(first.get("g")), [0, 1, 2]);
    const second = order.release([
      { deliveries: { g: receipts() }, takenAtNs: 80 },
      { deliveries: { g: receipts([4, 28], [5, 50]) }, takenAtNs: 60 },
    ]);
    assert.deepEqual(seqs(second.get("g")), [4, 3, 5], "thread 2's 28 came before thread 1's 30");
    assert.deepEqual(seqs(order.releaseAll().get("g")), []);
  });

  it("lets the verifier see reordering across members on different threads, and nothing is lost at the end", () => {
    const order = new ReceiptOrder();
    const v = new DeliveryVerifier(["g"]);
    v.sent(0, [4]);
    // Two members of one group on two threads each got every other event of the key, handled out of order.
    const released = order.release([
      { deliveries: { g: receipts([0, 1], [3, 2]) }, takenAtNs: 10 },
      { deliveries: { g: receipts([1, 3], [2, 4]) }, takenAtNs: 3 },
    ]);
    for (const [group, triples] of released) v.receivePacked(group, triples);
    for (const [group, triples] of order.releaseAll()) v.receivePacked(group, triples);
    assert.deepEqual(v.counts("g"), { sent: 4, acked: 4, consumed: 4, lost: 0, duplicated: 0, outOfOrder: 2, foreign: 0 });
  });
});
