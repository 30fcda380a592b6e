import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startNativeKafka, type NativeKafkaHandle } from "./kafka-native-broker.js";
import { tempDir } from "../../test/support/temp-dir.js";
import type { DeliveredEvent, EventConsumer, StreamAdapter } from "../contract/adapter.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { kafkajsAdapterFactory } from "./kafkajs-adapter.js";
import { platformaticKafkaAdapterFactory } from "./platformatic-adapter.js";

/** One broker for the whole file: starting Kafka takes seconds. */
let broker: Promise<NativeKafkaHandle> | undefined;
const sharedBroker = () => (broker ??= tempDir("kafka").then((workDir) => startNativeKafka({ workDir })));
after(async () => {
  await (await broker)?.stop();
});

/** Every Kafka client, one broker: the same contract and the same failover. */
for (const factory of [platformaticKafkaAdapterFactory, kafkajsAdapterFactory]) {
describeAdapterContract({
  factory,
  start: async () => ({ endpoint: (await sharedBroker()).endpoint, stop: async () => {} }),
  deliveryTimeoutMs: 20_000,
  partitions: 4,
});

describe(`${factory.name}: a group member dies mid-stream`, { timeout: 120_000 }, () => {
  let adapter: StreamAdapter;
  before(async () => {
    adapter = factory.create({ endpoint: (await sharedBroker()).endpoint });
    await adapter.connect();
  });
  after(async () => {
    await adapter?.close();
  });

  it("moves its partitions to the survivor, and no acknowledged event is lost", async () => {
    const stream = { name: `failover-${Date.now()}`, partitions: 4 };
    await adapter.setup(stream, ["g"]);
    const received = new Map<string, Set<number>>();
    const collect = (who: string) => {
      const seen = new Set<number>();
      received.set(who, seen);
      let consumer: EventConsumer | undefined;
      const handler = (events: readonly DeliveredEvent[]) => {
        for (const e of events) seen.add(Number(Buffer.from(e.payload).toString()));
        void consumer?.ack(events);
      };
      return { handler, bind: (c: EventConsumer) => (consumer = c) };
    };
    const a = collect("a");
    const b = collect("b");
    const memberA = await adapter.createConsumer(stream, { group: "g", member: "a" }, a.handler);
    a.bind(memberA);
    const memberB = await adapter.createConsumer(stream, { group: "g", member: "b" }, b.handler);
    b.bind(memberB);

    const producer = await adapter.createProducer(stream);
    const total = 2_000;
    let next = 0;
    const send = async (n: number) => {
      const batch = Array.from({ length: n }, () => {
        const i = next++;
        return { key: `k${i % 64}`, payload: Buffer.from(String(i)) };
      });
      await producer.append(batch);
    };
    for (let i = 0; i < 10; i++) await send(100); // first half, both members working
    const union = () => new Set([...(received.get("a") ?? []), ...(received.get("b") ?? [])]);
    for (let i = 0; i < 100 && union().size < 1_000; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok((received.get("a")?.size ?? 0) > 0, "member a had partitions before it died");
    await memberA.kill();
    for (let i = 0; i < 10; i++) await send(100); // second half, after a died
    for (let i = 0; i < 300 && (received.get("b")?.size ?? 0) < total - (received.get("a")?.size ?? 0); i++) {
      if (union().size === total && hasAllSecondHalf(received.get("b"), total)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const missing = [...Array(total).keys()].filter((i) => !union().has(i));
    assert.deepEqual(missing, [], "every event reached the group");
    assert.ok(hasAllSecondHalf(received.get("b"), total), "the survivor read every partition after the failover");
    await memberB.close();
    await producer.close();
    await adapter.teardown(stream);
  });
});
}

function hasAllSecondHalf(seen: Set<number> | undefined, total: number): boolean {
  for (let i = total / 2; i < total; i++) if (!seen?.has(i)) return false;
  return true;
}
