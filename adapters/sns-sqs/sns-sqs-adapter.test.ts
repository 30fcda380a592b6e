import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ListSubscriptionsCommand, ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteQueueCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { ServiceHandle } from "../contract/service.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { tempDir } from "../../test/support/temp-dir.js";
import { startNativeMoto } from "./moto-native-server.js";
import { snsSqsAdapterFactory } from "./sns-sqs-adapter.js";
import { groupQueueNameOf } from "./sns-sqs-names.js";

let server: Promise<ServiceHandle> | undefined;
const sharedServer = () => (server ??= tempDir("moto").then((workDir) => startNativeMoto({ workDir })));
after(async () => {
  await (await server)?.stop();
});
const start = async () => ({ endpoint: (await sharedServer()).endpoint, stop: async () => {} });
const credentials = { accessKeyId: "t", secretAccessKey: "t" };

describeAdapterContract({
  factory: snsSqsAdapterFactory,
  start,
  deliveryTimeoutMs: 10_000,
  claimIdleAfterMs: 1_000,
  oldestAgeUnknown: "SQS has no call that tells the age of a queue's oldest message",
});

describe("sns-sqs on moto", () => {
  it("fans one publish out to every group's queue through SNS, and teardown removes the topic, its subscriptions and only the stream's queues", async () => {
    const endpoint = (await sharedServer()).endpoint;
    const sns = new SNSClient({ endpoint: endpoint.url, region: "us-east-1", credentials });
    const sqs = new SQSClient({ endpoint: endpoint.url, region: "us-east-1", credentials });
    const adapter = snsSqsAdapterFactory.create({ endpoint });
    await adapter.connect();
    const stream = { name: `fan-out-${process.pid}`, partitions: 1 };
    // Named like a group queue of the stream but not made by it: teardown must leave it.
    const bystander = (await sqs.send(new CreateQueueCommand({ QueueName: groupQueueNameOf(stream.name, "someone-else") }))).QueueUrl;
    try {
      await adapter.setup(stream, ["a", "b", "c"]);
      assert.equal((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions?.filter((s) => s.TopicArn?.endsWith(`:${stream.name}`)).length, 3, "one subscription per group");
      const producer = await adapter.createProducer(stream);
      const payload = new TextEncoder().encode("once");
      assert.equal((await producer.append([{ key: "k", payload }])).appended, 1);
      for (const group of ["a", "b", "c"]) assert.deepEqual(await adapter.lag(stream, group), { events: 1, oldestAgeMs: null }, `group ${group}'s queue holds the one publish`);
      const received: string[] = [];
      const member = await adapter.createConsumer(stream, { group: "b", member: "m" }, (events) => {
        for (const e of events) received.push(`${e.key}:${new TextDecoder().decode(e.payload)}:${e.deliveryCount ?? "?"}`);
        void member.ack(events);
      });
      const deadline = Date.now() + 10_000;
      while ((await adapter.lag(stream, "b")).events !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await member.close();
      assert.deepEqual(received, ["k:once:1"], "the raw message: payload in the body, the aggregate as a message attribute");
      assert.equal((await adapter.lag(stream, "a")).events, 1, "acknowledging in one group leaves the others' queues");
      await assert.rejects(adapter.createConsumer(stream, { group: "d", member: "m" }, () => {}), /consumer group "d" was not set up/);
    } finally {
      await adapter.teardown(stream);
    }
    try {
      assert.equal(await adapter.exists(stream), false);
      const topics = (await sns.send(new ListTopicsCommand({}))).Topics ?? [];
      assert.equal(topics.filter((t) => t.TopicArn?.endsWith(`:${stream.name}`)).length, 0, "the topic is gone");
      const subscriptions = (await sns.send(new ListSubscriptionsCommand({}))).Subscriptions ?? [];
      assert.equal(subscriptions.filter((s) => s.TopicArn?.endsWith(`:${stream.name}`)).length, 0, "its subscriptions are gone");
      assert.deepEqual((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: stream.name }))).QueueUrls, [bystander], "only the untagged bystander queue is left");
    } finally {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: bystander }));
      await adapter.close();
      sns.destroy();
      sqs.destroy();
    }
  });
});
