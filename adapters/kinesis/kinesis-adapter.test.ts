import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import type { ServiceHandle } from "../contract/service.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { tempDir } from "../../test/support/temp-dir.js";
import { startNativeKinesalite } from "./kinesalite-native-server.js";
import { kinesisAdapterFactory } from "./kinesis-adapter.js";
import { kinesisClients } from "./kinesis-clients.js";

let server: Promise<ServiceHandle> | undefined;
const sharedServer = () => (server ??= tempDir("kinesalite").then((workDir) => startNativeKinesalite({ workDir })));
after(async () => {
  await (await server)?.stop();
});

describeAdapterContract({
  factory: kinesisAdapterFactory,
  settings: { pollIntervalMs: 20 },
  start: async () => ({ endpoint: (await sharedServer()).endpoint, stop: async () => {} }),
  deliveryTimeoutMs: 15_000,
  claimIdleAfterMs: 1_000,
});

describe("kinesis on kinesalite", () => {
  it("puts one aggregate's events on one shard, and teardown deletes the stream and its lease table", async () => {
    const endpoint = (await sharedServer()).endpoint;
    const adapter = kinesisAdapterFactory.create({ endpoint, settings: { pollIntervalMs: 20 } });
    await adapter.connect();
    const stream = { name: `kinesis-shards-${process.pid}`, partitions: 4 };
    const positions = new Map<string, Set<string>>();
    try {
      await adapter.setup(stream, ["g"]);
      const producer = await adapter.createProducer(stream);
      const result = await producer.append(Array.from({ length: 200 }, (_, i) => ({ key: `agg-${i % 20}`, payload: new TextEncoder().encode(String(i)) })));
      assert.deepEqual(result, { appended: 200, conflicts: [] }, "one PutRecords of 200 records is acknowledged whole");
      let received = 0;
      const member = await adapter.createConsumer(stream, { group: "g", member: "m" }, (events) => {
        for (const e of events) {
          const shard = e.position.split("|")[0] as string;
          positions.set(e.key, (positions.get(e.key) ?? new Set()).add(shard));
        }
        received += events.length;
      });
      const deadline = Date.now() + 15_000;
      while (received < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await member.close();
      assert.equal(received, 200);
      for (const [key, shards] of positions) assert.equal(shards.size, 1, `${key} was read from one shard (got ${[...shards].join(", ")})`);
      assert.ok(new Set([...positions.values()].flatMap((s) => [...s])).size > 1, "20 keys spread over more than one of the 4 shards");
    } finally {
      await adapter.teardown(stream);
      await adapter.close();
    }
    const { kinesis, leases } = kinesisClients(endpoint.url, { maxSockets: 1 });
    try {
      assert.ok(!((await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? []).includes(stream.name), "the stream is gone");
      assert.ok(!((await leases.send(new ListTablesCommand({}))).TableNames ?? []).includes(`${stream.name}-leases`), "its lease table is gone");
    } finally {
      kinesis.destroy();
      leases.destroy();
    }
  });

  it("delivers each aggregate's events in append order when one producer's appends overlap", async () => {
    const adapter = kinesisAdapterFactory.create({ endpoint: (await sharedServer()).endpoint, settings: { pollIntervalMs: 20 } });
    await adapter.connect();
    const stream = { name: `kinesis-overlap-${process.pid}`, partitions: 2 };
    try {
      await adapter.setup(stream, ["g"]);
      const producer = await adapter.createProducer(stream);
      const last = new Map<string, number>();
      let received = 0;
      let outOfOrder = 0;
      const member = await adapter.createConsumer(stream, { group: "g", member: "m" }, (events) => {
        for (const e of events) {
          const seq = Number(Buffer.from(e.payload).toString());
          if (seq <= (last.get(e.key) ?? -1)) outOfOrder++;
          last.set(e.key, seq);
        }
        received += events.length;
      });
      // 300 appends of 1 to 3 events of 5 keys, none awaited before the next starts: many PutRecords of one key in flight.
      const appends: Promise<unknown>[] = [];
      let sent = 0;
      for (let i = 0; i < 300; i++) {
        const events = Array.from({ length: 1 + (i % 3) }, (_, j) => ({ key: `agg-${(i + j) % 5}`, payload: new TextEncoder().encode(String(sent++)) }));
        appends.push(producer.append(events));
      }
      await Promise.all(appends);
      const deadline = Date.now() + 15_000;
      while (received < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await member.close();
      assert.equal(received, sent, "every event delivered");
      assert.equal(outOfOrder, 0, "no aggregate's event arrived before one appended earlier");
    } finally {
      await adapter.teardown(stream);
      await adapter.close();
    }
  });

  it("refuses an append larger than PutRecords takes, naming the limit", async () => {
    assert.equal(kinesisAdapterFactory.maxAppendBatch, 500, "the harness refuses a larger batchSize before a run starts");
    const adapter = kinesisAdapterFactory.create({ endpoint: (await sharedServer()).endpoint });
    await adapter.connect();
    try {
      const producer = await adapter.createProducer({ name: `never-created-${process.pid}`, partitions: 1 });
      const events = Array.from({ length: 501 }, (_, i) => ({ key: `k${i}`, payload: new Uint8Array(1) }));
      await assert.rejects(producer.append(events), /at most 500 records/);
    } finally {
      await adapter.close();
    }
  });
});
