import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { describeAdapterContract } from "../contract/contract-suite.js";
import type { StreamAdapter } from "../contract/adapter.js";
import { postgresAdapterFactory } from "./postgres-adapter.js";
import { startNativePostgres } from "./postgres-native-server.js";
import { tempDir } from "../../test/support/temp-dir.js";

// Polling subscriptions (the default).
describeAdapterContract({
  factory: postgresAdapterFactory,
  start: async () => startNativePostgres({ workDir: await tempDir("postgres") }),
  deliveryTimeoutMs: 5_000,
});

// LISTEN/NOTIFY wake-ups with a long fallback poll: deliveries must come from the notifications.
describeAdapterContract({
  factory: postgresAdapterFactory,
  settings: { notify: true, pollIntervalMs: 2_000 },
  start: async () => startNativePostgres({ workDir: await tempDir("postgres") }),
  deliveryTimeoutMs: 5_000,
});

describe("postgres producer over several connections", { timeout: 60_000 }, () => {
  let server: Awaited<ReturnType<typeof startNativePostgres>>;
  let adapter: StreamAdapter;
  before(async () => {
    server = await startNativePostgres({ workDir: await tempDir("postgres-lanes") });
    adapter = postgresAdapterFactory.create({ endpoint: server.endpoint, settings: { connectionsPerProducer: 4 } });
    await adapter.connect();
  });
  after(async () => {
    await adapter?.close();
    await server?.stop();
  });

  it("appends handed in at once, not awaited one by one, keep each aggregate's order across the connections", async () => {
    const stream = { name: `lanes-${randomUUID().slice(0, 8)}`, partitions: 4 };
    await adapter.setup(stream, []);
    const producer = await adapter.createProducer(stream);
    const keys = Array.from({ length: 10 }, (_, i) => `agg-${i}`);
    const calls = Array.from({ length: 60 }, (_, call) =>
      producer.append(keys.flatMap((key) => [0, 1].map((n) => ({ key, payload: new TextEncoder().encode(String(call * 2 + n)) })))),
    );
    for (const result of await Promise.all(calls)) assert.equal(result.appended, keys.length * 2);
    await producer.close();
    for (const key of keys) {
      const { events, version } = await adapter.readAggregate!(stream, key);
      assert.equal(version, 120);
      assert.deepEqual(events.map((p) => Number(new TextDecoder().decode(p))), Array.from({ length: 120 }, (_, i) => i), `${key} in append order`);
    }
    await adapter.teardown(stream);
  });

  it("refuses a connection count out of range, naming the setting and what it takes", () => {
    assert.throws(() => postgresAdapterFactory.validateSettings({ connectionsPerProducer: 0 }), /postgres\.connectionsPerProducer.*integer from 1 to 64, got 0/);
    assert.throws(() => postgresAdapterFactory.validateSettings({ connectionsPerProducer: "4" }), /postgres\.connectionsPerProducer.*got "4"/);
  });
});
