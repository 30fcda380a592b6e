import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventConsumer } from "../contract/adapter.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { natsJetStreamAdapterFactory } from "./nats-jetstream-adapter.js";
import { startNativeNats } from "./nats-native-server.js";
import { tempDir } from "../../test/support/temp-dir.js";

// Against nats-server as the native provider starts it (built by `eventbench env prepare`).
describeAdapterContract({
  factory: natsJetStreamAdapterFactory,
  start: async () => startNativeNats({ workDir: await tempDir("nats") }),
  deliveryTimeoutMs: 5_000,
  claimIdleAfterMs: 500,
});

describe("nats-jetstream producer: commands pipelined to one aggregate", () => {
  it("appends a command that expects the version after one still in flight, and refuses a stale one sent between them", async () => {
    const server = await startNativeNats({ workDir: await tempDir("nats") });
    const adapter = natsJetStreamAdapterFactory.create({ endpoint: server.endpoint });
    try {
      await adapter.connect();
      const stream = { name: "pipelined.check", partitions: 1 };
      await adapter.setup(stream, []);
      const producer = await adapter.createProducer(stream);
      const payload = new Uint8Array([1]);
      // Sent together, as the event-store workload sends them: versions 0 → 2, a stale one expecting 0 again, then 2 → 3.
      const [first, stale, next] = await Promise.all([
        producer.append([{ key: "order 1", payload, expectedVersion: 0 }, { key: "order 1", payload, expectedVersion: 0 }]),
        producer.append([{ key: "order 1", payload, expectedVersion: 0 }]),
        producer.append([{ key: "order 1", payload, expectedVersion: 2 }]),
      ]);
      assert.deepEqual([first, stale, next], [
        { appended: 2, conflicts: [] },
        { appended: 0, conflicts: ["order 1"] },
        { appended: 1, conflicts: [] },
      ]);
      assert.equal((await adapter.readAggregate?.(stream, "order 1"))?.version, 3, "a key with a space and a stream with a dot map to valid subjects");
      await producer.close();
      await adapter.teardown(stream);
      assert.equal(await adapter.exists(stream), false);
    } finally {
      await adapter.close();
      await server.stop();
    }
  });
});

describe("nats-jetstream ordering with two members of one group", () => {
  it("each member receives its share in stream order; the group gets every event once, split between the members", async () => {
    const server = await startNativeNats({ workDir: await tempDir("nats") });
    const adapter = natsJetStreamAdapterFactory.create({ endpoint: server.endpoint });
    const members: EventConsumer[] = [];
    try {
      await adapter.connect();
      const stream = { name: "ordering-check", partitions: 1 };
      await adapter.setup(stream, ["g"]);
      const received = [[], []] as number[][];
      for (const [i, name] of ["m1", "m2"].entries()) {
        const member: EventConsumer = await adapter.createConsumer(stream, { group: "g", member: name, maxBatch: 10 }, (events) => {
          received[i]?.push(...events.map((e) => Number(e.position)));
          void member.ack(events);
        });
        members.push(member);
      }
      const producer = await adapter.createProducer(stream);
      for (let batch = 0; batch < 20; batch++) {
        await producer.append(Array.from({ length: 10 }, (_, i) => ({ key: "one-key", payload: new Uint8Array([batch, i]) })));
      }
      await producer.close();
      const deadline = Date.now() + 10_000;
      while (received.flat().length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual([...received.flat()].sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i + 1), "every sequence once");
      for (const [i, share] of received.entries()) {
        assert.ok(share.length > 0, `member ${i + 1} got work`);
        assert.deepEqual(share, [...share].sort((a, b) => a - b), `member ${i + 1} received its share in stream order`);
      }
    } finally {
      for (const m of members) await m.close();
      await adapter.close();
      await server.stop();
    }
  });
});
