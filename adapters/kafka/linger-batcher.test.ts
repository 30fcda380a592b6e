import assert from "node:assert/strict";
import { it } from "node:test";
import type { OutgoingEvent } from "../contract/adapter.js";
import { LingerBatcher } from "./linger-batcher.js";

const event = (n: number): OutgoingEvent => ({ key: `k${n}`, payload: new Uint8Array(100) });

it("coalesces appends within the linger time into one request, and settles each caller with it", async () => {
  const sent: number[] = [];
  const b = new LingerBatcher(async (events) => void sent.push(events.length), 20, 1_000_000);
  await Promise.all([b.append([event(1)]), b.append([event(2), event(3)]), b.append([event(4)])]);
  assert.deepEqual(sent, [4]);
});

it("sends at once when the batch is full, and propagates a failed request to its callers", async () => {
  const sent: number[] = [];
  const b = new LingerBatcher(async (events) => {
    sent.push(events.length);
    if (events.length > 2) throw new Error("broker said no");
  }, 10_000, 250);
  await assert.rejects(Promise.all([b.append([event(1)]), b.append([event(2)]), b.append([event(3)])]), /broker said no/);
  assert.deepEqual(sent, [3], "sent on reaching 250 bytes, long before the 10 s linger");
});

it("with linger 0 sends every append on its own", async () => {
  const sent: number[] = [];
  const b = new LingerBatcher(async (events) => void sent.push(events.length), 0, 1_000_000);
  await Promise.all([b.append([event(1)]), b.append([event(2)])]);
  assert.deepEqual(sent, [1, 1]);
});
