import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startNativeDynamoDb, type NativeDynamoDbHandle } from "../../harness/environment/native/dynamodb-local.js";
import { tempDir } from "../../test/support/temp-dir.js";
import type { StreamAdapter } from "../contract/adapter.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { dynamoDbStreamsAdapterFactory } from "./dynamodb-streams-adapter.js";

let server: Promise<NativeDynamoDbHandle> | undefined;
const sharedServer = () => (server ??= tempDir("dynamodb").then((workDir) => startNativeDynamoDb({ workDir })));
after(async () => {
  await (await server)?.stop();
});

describeAdapterContract({
  factory: dynamoDbStreamsAdapterFactory,
  settings: { pollIntervalMs: 20 },
  start: async () => ({ endpoint: (await sharedServer()).endpoint, stop: async () => {} }),
  deliveryTimeoutMs: 15_000,
});

describe("dynamodb-streams as an event store", () => {
  let adapter: StreamAdapter;
  before(async () => {
    adapter = dynamoDbStreamsAdapterFactory.create({ endpoint: (await sharedServer()).endpoint });
    await adapter.connect();
  });
  after(async () => {
    await adapter?.close();
  });

  it("counts every writer that raced for the same version as a conflict but one", async () => {
    const stream = { name: `race-${Date.now()}`, partitions: 1 };
    await adapter.setup(stream, []);
    const producers = await Promise.all([1, 2, 3, 4].map(() => adapter.createProducer(stream)));
    const results = await Promise.all(producers.map((p, i) => p.append([{ key: "order-9", payload: Buffer.from(String(i)), expectedVersion: 0 }])));
    assert.equal(results.filter((r) => r.appended === 1).length, 1, "exactly one writer wins version 1");
    assert.equal(results.filter((r) => r.conflicts[0] === "order-9").length, 3, "the three others are conflicts");
    assert.equal((await adapter.readAggregate?.(stream, "order-9"))?.version, 1);
    await adapter.teardown(stream);
  });

  it("delivers one aggregate's events in version order when they are written one after another", async () => {
    // Only per-item order is promised (each event is its own item): this is what DynamoDB Local
    // does with one shard and sequential writes; concurrent writes arrive in completion order.
    const stream = { name: `order-${Date.now()}`, partitions: 1 };
    await adapter.setup(stream, ["g"]);
    const producer = await adapter.createProducer(stream);
    for (let v = 0; v < 30; v++) await producer.append([{ key: "cart-1", payload: Buffer.from(String(v)), expectedVersion: v }]);
    const seen: number[] = [];
    const consumer = await adapter.createConsumer(stream, { group: "g", member: "m" }, (events) => {
      for (const e of events) seen.push(Number(Buffer.from(e.payload).toString()));
    });
    for (let i = 0; i < 200 && seen.length < 30; i++) await new Promise((r) => setTimeout(r, 25));
    await consumer.close();
    assert.deepEqual(seen, Array.from({ length: 30 }, (_, v) => v));
    await adapter.teardown(stream);
  });
});
