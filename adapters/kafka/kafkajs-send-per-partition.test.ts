import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Partitioners, type PartitionMetadata, type ProducerRecord } from "kafkajs";
import { sendPerPartition } from "./kafkajs-send-per-partition.js";

const partitions: PartitionMetadata[] = [0, 1, 2].map((partitionId) => ({ partitionErrorCode: 0, partitionId, leader: partitionId + 1, replicas: [1, 2, 3], isr: [1, 2, 3] }));

describe("kafkajs: one send per partition", () => {
  it("sends each partition's messages on their own, in order, to the partition kafkajs's default partitioner picks", async () => {
    const sent: ProducerRecord[] = [];
    const send = sendPerPartition({ send: async (r) => (sent.push(r), []) }, partitions);
    const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}` }));
    await send({ topic: "t", acks: -1, messages });
    const reference = Partitioners.DefaultPartitioner();
    const expected = new Map<number, string[]>();
    for (const m of messages) {
      const p = reference({ topic: "t", partitionMetadata: partitions, message: m });
      expected.set(p, [...(expected.get(p) ?? []), m.value]);
    }
    assert.ok(expected.size > 1, "the keys spread over more than one partition");
    assert.equal(sent.length, expected.size);
    for (const r of sent) {
      assert.equal(r.acks, -1);
      const ps = new Set(r.messages.map((m) => m.partition));
      assert.equal(ps.size, 1, "one partition per send");
      assert.deepEqual(
        r.messages.map((m) => m.value),
        expected.get([...ps][0] as number),
      );
    }
  });

  it("fails when the send of any partition fails", async () => {
    let calls = 0;
    const send = sendPerPartition({ send: async () => (++calls === 2 ? Promise.reject(new Error("leader gone")) : []) }, partitions);
    await assert.rejects(send({ topic: "t", messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: "v" })) }), /leader gone/);
  });
});
