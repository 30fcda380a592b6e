import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import { startNativeDynamoDb, type NativeDynamoDbHandle } from "./dynamodb-local.js";
import { tempDir } from "../../test/support/temp-dir.js";
import type { DeliveredEvent, EventConsumer, StreamAdapter, StreamSpec } from "../contract/adapter.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { newAdapterCounters } from "./adapter-counters.js";
import { dynamoDbStreamsAdapterFactory } from "./dynamodb-streams-adapter.js";
import { ShardLeaseTable } from "../aws/shard-lease-table.js";
import { StreamGroupMember } from "./stream-group-member.js";

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (payload: Uint8Array) => Buffer.from(payload).toString();
let streamCount = 0;
const newStreamSpec = (prefix: string): StreamSpec => ({ name: `${prefix}-${process.pid}-${++streamCount}`, partitions: 1 });

async function waitUntil(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Subscribes and collects payloads as text; acknowledges only what `ackIf` accepts. */
async function collect(adapter: StreamAdapter, stream: StreamSpec, member: string, claimIdleAfterMs: number, ackIf: (payload: string) => boolean = () => true) {
  const received: string[] = [];
  const subscription: { consumer?: EventConsumer } = {};
  const consumer = await adapter.createConsumer(stream, { group: "g", member, claimIdleAfterMs }, (events) => {
    received.push(...events.map((e) => text(e.payload)));
    void subscription.consumer?.ack(events.filter((e) => ackIf(text(e.payload))));
  });
  subscription.consumer = consumer;
  return { received, consumer };
}

describe("dynamodb-streams on DynamoDB Local", () => {
  let adapter: StreamAdapter;
  before(async () => {
    adapter = dynamoDbStreamsAdapterFactory.create({ endpoint: (await sharedServer()).endpoint, settings: { pollIntervalMs: 20 } });
    await adapter.connect();
  });
  after(async () => {
    await adapter?.close();
  });

  it("runs DynamoDB Local 3.3.1 from the npm package, and its log says it listens on every interface", async () => {
    const handle = await sharedServer();
    assert.equal(handle.version, "3.3.1");
    assert.match(handle.listensOn, /every interface/);
    assert.match(await readFile(handle.logFile as string, "utf8"), /listens on \*:\d+ \(every interface/);
    assert.equal((await adapter.info()).server, "DynamoDB Local 3.3.1");
  });

  it("counts every writer that raced for the same version as a conflict but one", async () => {
    const stream = newStreamSpec("race");
    await adapter.setup(stream, []);
    const producers = await Promise.all([1, 2, 3, 4].map(() => adapter.createProducer(stream)));
    const results = await Promise.all(producers.map((p, i) => p.append([{ key: "order-9", payload: Buffer.from(String(i)), expectedVersion: 0 }])));
    assert.equal(results.filter((r) => r.appended === 1).length, 1, "exactly one writer wins version 1");
    assert.equal(results.filter((r) => r.conflicts[0] === "order-9").length, 3, "the three others are conflicts");
    const transaction = await producers[0]?.append([
      { key: "order-9", payload: Buffer.from("a"), expectedVersion: 0 },
      { key: "order-9", payload: Buffer.from("b"), expectedVersion: 0 },
    ]);
    assert.deepEqual(transaction, { appended: 0, conflicts: ["order-9"] }, "a stale transaction writes none of its events");
    assert.equal((await adapter.readAggregate?.(stream, "order-9"))?.version, 1);
    await adapter.teardown(stream);
  });

  it("delivers one aggregate's events in version order, even when one producer's appends overlap", async () => {
    // DynamoDB Local has one shard and records arrive in commit order; the producer writes one
    // aggregate one write at a time, so overlapping appends still commit in version order.
    const stream = newStreamSpec("order");
    await adapter.setup(stream, ["g"]);
    const producer = await adapter.createProducer(stream);
    await Promise.all(Array.from({ length: 40 }, (_, v) => producer.append([{ key: v % 2 ? "cart-1" : "cart-2", payload: Buffer.from(String(v)) }])));
    const { received, consumer } = await collect(adapter, stream, "m", 5_000);
    await waitUntil("40 events", () => received.length >= 40);
    await consumer.close();
    for (const cart of [1, 0]) {
      const sent = Array.from({ length: 40 }, (_, v) => v).filter((v) => v % 2 === cart);
      assert.deepEqual(received.map(Number).filter((v) => v % 2 === cart), sent);
    }
    assert.equal((await adapter.readAggregate?.(stream, "cart-1"))?.version, 20);
    await adapter.teardown(stream);
  });

  it("after a member is killed, a survivor resumes from the checkpoint its last lease renewal persisted", async () => {
    const stream = newStreamSpec("failover");
    await adapter.setup(stream, ["g"]);
    const producer = await adapter.createProducer(stream);
    for (let i = 0; i < 20; i += 5) await producer.append(Array.from({ length: 5 }, (_, k) => ({ key: `agg-${k}`, payload: Buffer.from(String(i + k)) })));
    const doomed = await collect(adapter, stream, "doomed", 300, (p) => Number(p) < 10);
    await waitUntil("the doomed member got everything", () => doomed.received.length >= 20);
    await sleep(400); // more than one renewal (every 100 ms): the checkpoint after event 9 is in the lease
    await doomed.consumer.kill();
    const survivor = await collect(adapter, stream, "survivor", 300);
    await waitUntil("the survivor got the unacknowledged half", () => survivor.received.length >= 10);
    await sleep(200);
    assert.deepEqual(survivor.received.map(Number).sort((a, b) => a - b), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    assert.equal(adapter.stats?.().leasesTakenOver, 1);
    await survivor.consumer.close();
    await adapter.teardown(stream);
  });

  it("shares a group's leases between adapter instances (threads, processes): a closed member hands its shard on at once", async () => {
    const other = dynamoDbStreamsAdapterFactory.create({ endpoint: (await sharedServer()).endpoint, settings: { pollIntervalMs: 20 } });
    await other.connect();
    const stream = newStreamSpec("instances");
    await adapter.setup(stream, ["g"]);
    // A long expiry: only a release, not an expiry, can move the shard within this test.
    const first = await collect(adapter, stream, "member-1", 60_000);
    const second = await collect(other, stream, "member-1", 60_000);
    const producer = await adapter.createProducer(stream);
    await producer.append(Array.from({ length: 10 }, (_, i) => ({ key: `agg-${i}`, payload: Buffer.from(String(i)) })));
    await waitUntil("the first ten events", () => first.received.length + second.received.length >= 10);
    const holder = first.received.length > 0 ? first : second;
    const standby = holder === first ? second : first;
    assert.equal(standby.received.length, 0, "one member reads the shard, the other stands by");
    await sleep(100);
    await holder.consumer.close();
    await producer.append(Array.from({ length: 10 }, (_, i) => ({ key: `agg-${i}`, payload: Buffer.from(String(10 + i)) })));
    await waitUntil("the standby took over", () => standby.received.length >= 10, 5_000);
    await sleep(200);
    assert.deepEqual(
      [...holder.received, ...standby.received].map(Number).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i),
      "every event once: the released lease carried the final checkpoint",
    );
    await standby.consumer.close();
    await other.close();
    await adapter.teardown(stream);
  });

  it("writes unversioned batches with BatchWriteItem when asked, and refuses a second producer then", async () => {
    const batching = dynamoDbStreamsAdapterFactory.create({ endpoint: (await sharedServer()).endpoint, settings: { unversionedWrites: "batch", pollIntervalMs: 20 } });
    await batching.connect();
    const stream = newStreamSpec("batch");
    await batching.setup(stream, ["g"]);
    const producer = await batching.createProducer(stream);
    await assert.rejects(batching.createProducer(stream), /one producer per stream/);
    const results = await Promise.all(
      Array.from({ length: 3 }, (_, b) => producer.append(Array.from({ length: 40 }, (_, i) => ({ key: `agg-${i % 4}`, payload: Buffer.from(String(b * 40 + i)) })))),
    );
    assert.deepEqual(results, Array.from({ length: 3 }, () => ({ appended: 40, conflicts: [] })));
    for (let k = 0; k < 4; k++) assert.equal((await batching.readAggregate?.(stream, `agg-${k}`))?.events.length, 30);
    assert.equal((await batching.readAggregate?.(stream, "agg-0"))?.version, 30, "versions 1..30, none overwritten");
    const { received, consumer } = await collect(batching, stream, "m", 5_000);
    await waitUntil("120 events", () => received.length >= 120);
    await consumer.close();
    assert.equal(new Set(received).size, 120);
    assert.equal(batching.stats?.().overwrittenEvents, 0);
    await batching.teardown(stream);
    await batching.close();
  });
});

/**
 * A stream client whose shard list comes in two DescribeStream pages (a closed parent, then its
 * child) and whose iterators are plain strings; `records` maps an iterator to its GetRecords answer.
 */
function fakeStream(shards: Shard[][], records: (iterator: string) => { Records: object[]; NextShardIterator?: string }) {
  const iteratorRequests: { shard?: string; type?: string; after?: string }[] = [];
  const client = {
    send: async (command: unknown) => {
      if (command instanceof DescribeStreamCommand) {
        const page = command.input.ExclusiveStartShardId ? 1 : 0;
        const last = page === shards.length - 1;
        return { StreamDescription: { Shards: shards[page], ...(last ? {} : { LastEvaluatedShardId: shards[page]?.at(-1)?.ShardId }) } };
      }
      if (command instanceof GetShardIteratorCommand) {
        const { ShardId, ShardIteratorType, SequenceNumber } = command.input;
        iteratorRequests.push({ shard: ShardId, type: ShardIteratorType, after: SequenceNumber });
        return { ShardIterator: `${ShardId}@${SequenceNumber ?? "start"}` };
      }
      if (command instanceof GetRecordsCommand) return records(command.input.ShardIterator as string);
      throw new Error("unexpected command");
    },
  };
  return { client: client as unknown as DynamoDBStreamsClient, iteratorRequests };
}

const record = (seq: string) => ({ eventName: "INSERT", dynamodb: { SequenceNumber: seq, NewImage: { pk: { S: "a" }, sk: { N: seq }, p: { B: Buffer.from(seq) } } } });

describe("stream reader against a scripted stream, leases on DynamoDB Local", () => {
  let leases: ShardLeaseTable;
  let tables: DynamoDBClient;
  before(async () => {
    const endpoint = (await sharedServer()).endpoint.url;
    tables = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });
  after(() => tables?.destroy());

  const member = (client: DynamoDBStreamsClient, received: string[], counters = newAdapterCounters()) => {
    const subscription: { consumer?: StreamGroupMember } = {};
    const consumer = new StreamGroupMember({
      streams: client,
      streamArn: "arn:test",
      leases,
      options: { group: "g", member: "m" },
      pollIntervalMs: 5,
      maxAttempts: 1,
      counters,
      onEvents: (events: readonly DeliveredEvent[]) => {
        received.push(...events.map((e) => e.position));
        void subscription.consumer?.ack(events);
      },
    });
    subscription.consumer = consumer;
    return consumer;
  };

  before(async () => {
    leases = new ShardLeaseTable(tables, ShardLeaseTable.nameFor(`scripted-${process.pid}`), 1, newAdapterCounters());
    await leases.create();
  });

  it("renews an expired shard iterator after the last delivered record, losing and repeating nothing", async () => {
    let reads = 0;
    const { client, iteratorRequests } = fakeStream([[{ ShardId: "expiring" }]], (iterator) => {
      reads++;
      if (reads === 1) return { Records: [record("1")], NextShardIterator: "stale" };
      if (iterator === "stale") throw new ExpiredIteratorException({ message: "Iterator expired", $metadata: {} });
      if (iterator === "expiring@1") return { Records: [record("2")], NextShardIterator: "idle" };
      return { Records: [], NextShardIterator: "idle" };
    });
    const received: string[] = [];
    const counters = newAdapterCounters();
    const reader = member(client, received, counters);
    reader.start();
    await waitUntil("both records", () => received.length >= 2);
    await reader.close();
    assert.deepEqual(received, ["expiring|1", "expiring|2"]);
    assert.equal(counters.expiredIteratorsRenewed, 1);
    assert.deepEqual(iteratorRequests, [
      { shard: "expiring", type: "TRIM_HORIZON", after: undefined },
      { shard: "expiring", type: "AFTER_SEQUENCE_NUMBER", after: "1" },
    ]);
  });

  it("pages through DescribeStream and reads a closed parent to its end before its child", async () => {
    const { client } = fakeStream([[{ ShardId: "child", ParentShardId: "parent" }], [{ ShardId: "parent" }]], (iterator) => {
      if (iterator === "parent@start") return { Records: [record("10"), record("11")], NextShardIterator: "parent-2" };
      if (iterator === "parent-2") return { Records: [record("12")] }; // no next iterator: closed
      if (iterator === "child@start") return { Records: [record("20")], NextShardIterator: "child-idle" };
      return { Records: [], NextShardIterator: iterator };
    });
    const received: string[] = [];
    const reader = member(client, received);
    reader.start();
    await waitUntil("parent and child records", () => received.length >= 4);
    await reader.close();
    assert.deepEqual(received, ["parent|10", "parent|11", "parent|12", "child|20"]);
    assert.equal((await leases.list("g")).get("parent")?.checkpoint, "SHARD_END");
  });
});
