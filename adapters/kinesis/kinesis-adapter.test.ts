import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import type { DeliveredEvent } from "../contract/adapter.js";
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

  it("a member that joins later gets its share: the first hands half its shards over, acknowledged, with nothing read twice", async () => {
    const adapter = kinesisAdapterFactory.create({ endpoint: (await sharedServer()).endpoint, settings: { pollIntervalMs: 20 } });
    await adapter.connect();
    const stream = { name: `kinesis-handover-${process.pid}`, partitions: 4 };
    const byMember = { first: [] as string[], second: [] as string[] };
    const members: { close(): Promise<void> }[] = [];
    const join = async (name: "first" | "second") => {
      const holder: { consumer?: { ack(events: readonly DeliveredEvent[]): Promise<void> } } = {};
      const consumer = await adapter.createConsumer(stream, { group: "g", member: name, claimIdleAfterMs: 3_000 }, (events) => {
        byMember[name].push(...events.map((e) => `${e.key}/${Buffer.from(e.payload).toString()}`));
        void holder.consumer?.ack(events);
      });
      holder.consumer = consumer;
      members.push(consumer);
    };
    const appendRound = async (round: number) => {
      const producer = await adapter.createProducer(stream);
      await producer.append(Array.from({ length: 16 }, (_, k) => ({ key: `agg-${k}`, payload: new TextEncoder().encode(String(round)) })));
    };
    try {
      await adapter.setup(stream, ["g"]);
      await join("first");
      await appendRound(0);
      const waitFor = async (what: string, predicate: () => boolean) => {
        const deadline = Date.now() + 20_000;
        while (!predicate()) {
          if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await waitFor("the first member alone read round 0", () => byMember.first.length === 16);
      await join("second");
      await waitFor("the first member handed two shards over", () => adapter.stats?.().leasesHandedOver === 2);
      for (let round = 1; round <= 5; round++) await appendRound(round);
      await waitFor("every round delivered", () => byMember.first.length + byMember.second.length >= 16 * 6);
      await new Promise((r) => setTimeout(r, 300));
      const all = [...byMember.first, ...byMember.second];
      assert.equal(new Set(all).size, all.length, "no event was read twice across the handover");
      assert.equal(all.length, 16 * 6);
      assert.ok(byMember.second.length > 0, "the member that joined later read events");
      assert.ok(byMember.first.length > 16, "the first member still reads its share");
    } finally {
      for (const m of members) await m.close();
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
