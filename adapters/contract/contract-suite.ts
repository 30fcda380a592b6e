/**
 * The contract every adapter passes against a real server. An adapter's test file calls
 * `describeAdapterContract` with its factory and a way to start (or reach) its server; the suite
 * registers node:test cases. A capability an adapter declares false is not skipped silently: the
 * test says which declared capability it checks instead.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  capabilitiesOf,
  type AdapterFactory,
  type DeliveredEvent,
  type Endpoint,
  type EventConsumer,
  type StreamAdapter,
  type StreamSpec,
} from "./adapter.js";

export interface ContractServer {
  readonly endpoint: Endpoint;
  stop(): Promise<void>;
}

export interface ContractTarget {
  readonly factory: AdapterFactory;
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Starts the server the suite runs against (once per suite). */
  start(): Promise<ContractServer>;
  /** How long the suite waits for deliveries; group joins on Kafka take seconds. */
  readonly deliveryTimeoutMs?: number;
  /** `claimIdleAfterMs` used by the redelivery test. */
  readonly claimIdleAfterMs?: number;
  /** Partitions/shards of the streams the suite creates. */
  readonly partitions?: number;
  /**
   * Why the system counts its backlog but cannot date it (SQS has no call that tells the oldest
   * message's age): lag's `oldestAgeMs` is then null while events are behind, 0 once none are.
   */
  readonly oldestAgeUnknown?: string;
}

interface TestEvent {
  key: string;
  seq: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encode = (e: TestEvent) => encoder.encode(JSON.stringify(e));
const decode = (d: DeliveredEvent): TestEvent => JSON.parse(decoder.decode(d.payload)) as TestEvent;

/** Collects deliveries of one consumer; acknowledges them unless told not to. */
class DeliveryCollector {
  readonly received: TestEvent[] = [];
  consumer: EventConsumer | undefined;

  constructor(private readonly autoAck: boolean) {}

  readonly onEvents = (events: readonly DeliveredEvent[]): void => {
    for (const e of events) this.received.push(decode(e));
    if (this.autoAck) void this.consumer?.ack(events);
  };
}

async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function keysOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `agg-${i}`);
}

/** Appends `perKey` events to each key (seq from `firstSeq`), interleaving keys, in batches of 10. */
async function appendSequence(adapter: StreamAdapter, stream: StreamSpec, keys: string[], perKey: number, firstSeq = 0) {
  const batch = 10;
  const producer = await adapter.createProducer(stream);
  const all: TestEvent[] = [];
  for (let seq = firstSeq; seq < firstSeq + perKey; seq++) for (const key of keys) all.push({ key, seq });
  for (let i = 0; i < all.length; i += batch) {
    const slice = all.slice(i, i + batch);
    const result = await producer.append(slice.map((e) => ({ key: e.key, payload: encode(e) })));
    assert.equal(result.appended, slice.length, "every event of a batch is acknowledged");
  }
  await producer.close();
  return all;
}

function assertExactlyOnce(received: TestEvent[], sent: TestEvent[]) {
  const seen = new Set<string>();
  for (const e of received) {
    const id = `${e.key}/${e.seq}`;
    assert.ok(!seen.has(id), `event ${id} was delivered twice to one group`);
    seen.add(id);
  }
  assert.equal(seen.size, sent.length, "every appended event is delivered to the group");
}

function assertOrderedPerKey(received: TestEvent[]) {
  const last = new Map<string, number>();
  for (const e of received) {
    const previous = last.get(e.key) ?? -1;
    assert.ok(e.seq > previous, `key ${e.key}: seq ${e.seq} delivered after ${previous}`);
    last.set(e.key, e.seq);
  }
}

export function describeAdapterContract(target: ContractTarget): void {
  const { factory } = target;
  const timeout = target.deliveryTimeoutMs ?? 10_000;
  const partitions = target.partitions ?? 4;
  const caps = capabilitiesOf(factory, target.settings ?? {});

  const withSettings = target.settings && Object.keys(target.settings).length ? ` with ${JSON.stringify(target.settings)}` : "";
  describe(`adapter contract: ${factory.name}${withSettings}`, { timeout: 180_000 }, () => {
    let server: ContractServer;
    let adapter: StreamAdapter;
    const consumers: EventConsumer[] = [];
    const streams: StreamSpec[] = [];

    const newStream = async (groups: string[]): Promise<StreamSpec> => {
      const stream = { name: `contract-${randomUUID().slice(0, 8)}`, partitions };
      streams.push(stream);
      await adapter.setup(stream, groups);
      return stream;
    };
    const subscribe = async (stream: StreamSpec, group: string, member: string, collector: DeliveryCollector, claimIdleAfterMs?: number) => {
      const consumer = await adapter.createConsumer(
        stream,
        { group, member, maxBatch: 10, ...(claimIdleAfterMs !== undefined ? { claimIdleAfterMs } : {}) },
        collector.onEvents,
      );
      collector.consumer = consumer;
      consumers.push(consumer);
      return consumer;
    };

    before(async () => {
      factory.validateSettings(target.settings ?? {});
      server = await target.start();
      adapter = factory.create({ endpoint: server.endpoint, ...(target.settings ? { settings: target.settings } : {}) });
      await adapter.connect();
    });

    after(async () => {
      for (const c of consumers) await c.close().catch(() => {});
      for (const s of streams) await adapter?.teardown(s).catch(() => {});
      await adapter?.close();
      await server?.stop();
    });

    it("reports the server and client versions", async () => {
      const info = await adapter.info();
      assert.match(info.server, /\d/, "server version has a number");
      assert.match(info.client, /\d/, "client version has a number");
    });

    it("delivers every appended event once, in order per key", async () => {
      const stream = await newStream(["g"]);
      const collector = new DeliveryCollector(true);
      await subscribe(stream, "g", "m1", collector);
      const sent = await appendSequence(adapter, stream, keysOf(8), 25);
      await waitFor("all events delivered", () => collector.received.length >= sent.length, timeout);
      await sleep(100); // a duplicate would arrive now
      assertExactlyOnce(collector.received, sent);
      if (caps.orderingPerKey) assertOrderedPerKey(collector.received);
    });

    it("delivers events appended before the group's member joined", async () => {
      const stream = await newStream(["late"]);
      const sent = await appendSequence(adapter, stream, keysOf(4), 10);
      const collector = new DeliveryCollector(true);
      await subscribe(stream, "late", "m1", collector);
      await waitFor("backlog delivered", () => collector.received.length >= sent.length, timeout);
      assertExactlyOnce(collector.received, sent);
    });

    it(
      caps.independentGroups
        ? "gives each of two groups every event (independent groups)"
        : "declares no independent groups: a stream set up with two groups is refused",
      async () => {
        if (!caps.independentGroups) {
          const stream = { name: `contract-${randomUUID().slice(0, 8)}`, partitions };
          streams.push(stream);
          await assert.rejects(adapter.setup(stream, ["a", "b"]), /independentGroups/, "the refusal names the capability it lacks");
          // Nor may a second group join a stream set up for one: it would compete for the first's events.
          const single = await newStream(["a"]);
          await assert.rejects(
            adapter.createConsumer(single, { group: "b", member: "m1" }, () => {}),
            /independentGroups/,
            "a member of another group is refused, naming the capability",
          );
          return;
        }
        const stream = await newStream(["a", "b"]);
        const ca = new DeliveryCollector(true);
        const cb = new DeliveryCollector(true);
        await subscribe(stream, "a", "m1", ca);
        await subscribe(stream, "b", "m1", cb);
        const sent = await appendSequence(adapter, stream, keysOf(4), 10);
        await waitFor("both groups got everything", () => ca.received.length >= sent.length && cb.received.length >= sent.length, timeout);
        assertExactlyOnce(ca.received, sent);
        assertExactlyOnce(cb.received, sent);
      },
    );

    it(
      caps.consumerGroups
        ? "shares the work between two members of one group"
        : "declares no consumer groups: one member reads each partition/shard, none twice",
      async () => {
        const stream = await newStream(["shared"]);
        const c1 = new DeliveryCollector(true);
        const c2 = new DeliveryCollector(true);
        await subscribe(stream, "shared", "m1", c1);
        await subscribe(stream, "shared", "m2", c2);
        await sleep(200);
        const sent: TestEvent[] = [];
        for (let round = 0; round < 10; round++) {
          sent.push(...(await appendSequence(adapter, stream, keysOf(16), 1, round)));
          await sleep(20);
        }
        await waitFor("the group got everything", () => c1.received.length + c2.received.length >= sent.length, timeout);
        await sleep(100);
        assertExactlyOnce([...c1.received, ...c2.received], sent);
        if (caps.consumerGroups) {
          assert.ok(c1.received.length > 0 && c2.received.length > 0, `both members got work (${c1.received.length} / ${c2.received.length})`);
        }
      },
    );

    it(
      caps.systemReportsLag
        ? "reports lag in events and in milliseconds, and zero once everything is acknowledged"
        : "declares that the system cannot report lag: lag() answers null, never 0",
      async () => {
        const stream = await newStream(["lagging"]);
        const sent = await appendSequence(adapter, stream, keysOf(4), 5);
        await sleep(300);
        const behind = await adapter.lag(stream, "lagging");
        if (!caps.systemReportsLag) {
          assert.deepEqual(behind, { events: null, oldestAgeMs: null });
          return;
        }
        assert.equal(behind.events, sent.length, "events behind = events appended");
        if (target.oldestAgeUnknown) {
          assert.equal(behind.oldestAgeMs, null, `the age of the backlog is not known (${target.oldestAgeUnknown}), so it is null, never a guess`);
        } else {
          assert.ok(
            behind.oldestAgeMs !== null && behind.oldestAgeMs >= 250,
            `oldest unconsumed event is at least 250 ms old (got ${behind.oldestAgeMs})`,
          );
        }
        const collector = new DeliveryCollector(true);
        await subscribe(stream, "lagging", "m1", collector);
        await waitFor("backlog consumed", () => collector.received.length >= sent.length, timeout);
        await waitFor(
          "lag back to zero",
          async () => {
            const lag = await adapter.lag(stream, "lagging");
            return lag.events === 0 && lag.oldestAgeMs === 0;
          },
          timeout,
        );
      },
    );

    it("counts delivered but unacknowledged events as lag", async (t) => {
      if (!caps.systemReportsLag) {
        t.diagnostic(`${factory.name} declares systemReportsLag=false: the harness counts lag itself`);
        return;
      }
      const stream = await newStream(["pending"]);
      const collector = new DeliveryCollector(false);
      await subscribe(stream, "pending", "m1", collector);
      const sent = await appendSequence(adapter, stream, keysOf(2), 5);
      await waitFor("delivered", () => collector.received.length >= sent.length, timeout);
      const lag = await adapter.lag(stream, "pending");
      assert.equal(lag.events, sent.length, "unacknowledged events are still behind");
    });

    it(
      caps.redeliveryOfUnacked
        ? "redelivers unacknowledged events to a surviving member after one dies"
        : "declares no redelivery of unacknowledged events",
      async (t) => {
        if (!caps.redeliveryOfUnacked) {
          t.diagnostic(`${factory.name} declares redeliveryOfUnacked=false; workloads that need it refuse to run`);
          return;
        }
        const stream = await newStream(["crash"]);
        const doomed = new DeliveryCollector(false);
        const doomedConsumer = await subscribe(stream, "crash", "doomed", doomed);
        const sent = await appendSequence(adapter, stream, keysOf(4), 5);
        await waitFor("the doomed member received events", () => doomed.received.length >= sent.length, timeout);
        await doomedConsumer.kill();
        const survivor = new DeliveryCollector(true);
        await subscribe(stream, "crash", "survivor", survivor, target.claimIdleAfterMs ?? 200);
        await waitFor("the survivor received the dead member's events", () => survivor.received.length >= sent.length, timeout * 3);
        assertExactlyOnce(survivor.received, sent);
      },
    );

    it(
      caps.optimisticConcurrency
        ? "rejects an append whose expected version is stale, and counts it as a conflict"
        : "declares no optimistic concurrency",
      async (t) => {
        if (!caps.optimisticConcurrency) {
          t.diagnostic(`${factory.name} declares optimisticConcurrency=false; the event-store workload refuses it`);
          return;
        }
        const stream = await newStream([]);
        const producer = await adapter.createProducer(stream);
        const first = await producer.append([
          { key: "order-1", payload: encode({ key: "order-1", seq: 0 }), expectedVersion: 0 },
          { key: "order-1", payload: encode({ key: "order-1", seq: 1 }), expectedVersion: 0 },
        ]);
        assert.deepEqual(first, { appended: 2, conflicts: [] });
        const stale = await producer.append([{ key: "order-1", payload: encode({ key: "order-1", seq: 9 }), expectedVersion: 1 }]);
        assert.deepEqual(stale, { appended: 0, conflicts: ["order-1"] });
        const next = await producer.append([{ key: "order-1", payload: encode({ key: "order-1", seq: 2 }), expectedVersion: 2 }]);
        assert.deepEqual(next, { appended: 1, conflicts: [] });
        await producer.close();
      },
    );

    it(caps.readAggregate ? "reads an aggregate's events back in order" : "declares no aggregate reads", async (t) => {
      if (!caps.readAggregate || !adapter.readAggregate) {
        assert.equal(caps.readAggregate, false, "an adapter declaring readAggregate implements it");
        t.diagnostic(`${factory.name} declares readAggregate=false; rehydration is refused`);
        return;
      }
      const stream = await newStream([]);
      await appendSequence(adapter, stream, ["cart-1", "cart-2"], 6);
      const aggregate = await adapter.readAggregate(stream, "cart-1");
      assert.equal(aggregate.version, 6);
      assert.deepEqual(
        aggregate.events.map((p) => (JSON.parse(decoder.decode(p)) as TestEvent).seq),
        [0, 1, 2, 3, 4, 5],
      );
      const tail = await adapter.readAggregate(stream, "cart-1", 4);
      assert.equal(tail.version, 6, "the version after a partial read is the aggregate's");
      assert.deepEqual(
        tail.events.map((p) => (JSON.parse(decoder.decode(p)) as TestEvent).seq),
        [4, 5],
        "afterVersion 4 reads versions 5 and 6 only (the tail after a snapshot)",
      );
      const unchanged = await adapter.readAggregate(stream, "cart-1", 6);
      assert.deepEqual({ events: unchanged.events.length, version: unchanged.version }, { events: 0, version: 6 });
    });

    it("a teardown leaves another stream's group of the same name untouched, position included", async () => {
      // Two runs against one cluster name their groups alike (`group-1`); tearing one down must
      // not delete or move the other's group (its committed position on its own stream).
      const kept = await newStream(["shared"]);
      const consumed = await appendSequence(adapter, kept, keysOf(2), 3);
      const first = new DeliveryCollector(true);
      const firstMember = await subscribe(kept, "shared", "k1", first);
      await waitFor("the kept stream's group consumed its events", () => first.received.length >= consumed.length, timeout);
      if (caps.systemReportsLag) {
        await waitFor("the kept group's position recorded", async () => (await adapter.lag(kept, "shared")).events === 0, timeout);
      }
      await firstMember.close();
      const unconsumed = await appendSequence(adapter, kept, keysOf(2), 2, 3);

      const other = await newStream(["shared"]);
      const otherSent = await appendSequence(adapter, other, keysOf(2), 2);
      const otherCollector = new DeliveryCollector(true);
      const otherMember = await subscribe(other, "shared", "o1", otherCollector);
      await waitFor("the other stream's group consumed its events", () => otherCollector.received.length >= otherSent.length, timeout);
      await otherMember.close();
      await adapter.teardown(other);

      assert.equal(await adapter.exists(kept), true, "the other stream's teardown left the kept stream");
      if (caps.systemReportsLag) {
        assert.equal((await adapter.lag(kept, "shared")).events, unconsumed.length, "the kept group's position survived the other teardown");
      }
      const resumed = new DeliveryCollector(true);
      await subscribe(kept, "shared", "k2", resumed);
      await waitFor("the kept group resumed", () => resumed.received.length >= unconsumed.length, timeout);
      if (caps.systemReportsLag) {
        await sleep(300);
        assertExactlyOnce(resumed.received, unconsumed);
      }
    });

    it("teardown leaves nothing behind", async () => {
      const stream = await newStream(["g"]);
      await appendSequence(adapter, stream, keysOf(2), 2);
      assert.equal(await adapter.exists(stream), true, "the stream exists after setup");
      await adapter.teardown(stream);
      assert.equal(await adapter.exists(stream), false, "the stream is gone after teardown");
    });
  });
}
