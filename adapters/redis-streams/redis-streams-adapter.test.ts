import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startNativeRedis } from "./redis-native-server.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { closeRedis, connectRedis } from "./redis-connection.js";
import { redisStreamsAdapterFactory } from "./redis-streams-adapter.js";
import { tempDir } from "../../test/support/temp-dir.js";

// Plain XADD: what publish-consume runs measure.
describeAdapterContract({
  factory: redisStreamsAdapterFactory,
  start: async () => startNativeRedis({ workDir: await tempDir("redis") }),
  deliveryTimeoutMs: 5_000,
  claimIdleAfterMs: 200,
});

// The event-store append script: expected versions, per-aggregate streams, and everything else unchanged.
describeAdapterContract({
  factory: redisStreamsAdapterFactory,
  settings: { eventStore: true },
  start: async () => startNativeRedis({ workDir: await tempDir("redis") }),
  deliveryTimeoutMs: 5_000,
  claimIdleAfterMs: 200,
});

describe("redis-streams event store: teardown", () => {
  it("deletes the per-aggregate streams, the versions hash and the aggregate set, leaving the server empty", async () => {
    const server = await startNativeRedis({ workDir: await tempDir("redis") });
    const adapter = redisStreamsAdapterFactory.create({ endpoint: server.endpoint, settings: { eventStore: true } });
    try {
      await adapter.connect();
      const stream = { name: "teardown-check", partitions: 1 };
      await adapter.setup(stream, ["g"]);
      const producer = await adapter.createProducer(stream);
      const payload = new Uint8Array([1, 2, 3]);
      const result = await producer.append(
        Array.from({ length: 30 }, (_, i) => ({ key: `agg-${i % 10}`, payload, expectedVersion: 0 })),
      );
      assert.deepEqual(result, { appended: 30, conflicts: [] }, "ten aggregates, three events each from version 0");
      assert.equal((await adapter.readAggregate?.(stream, "agg-3"))?.version, 3);
      await producer.close();
      await adapter.teardown(stream);
      const probe = await connectRedis(server.endpoint.url);
      assert.equal(await probe.dbSize(), 0, "nothing of the run is left on the server");
      await closeRedis(probe);
    } finally {
      await adapter.close();
      await server.stop();
    }
  });
});
