import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { ServiceHandle } from "../contract/service.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { tempDir } from "../../test/support/temp-dir.js";
import { startNativeElasticMq } from "./elasticmq-native-server.js";
import { sqsAdapterFactory } from "./sqs-adapter.js";

let server: Promise<ServiceHandle> | undefined;
const sharedServer = () => (server ??= tempDir("elasticmq").then((workDir) => startNativeElasticMq({ workDir })));
after(async () => {
  await (await server)?.stop();
});
const start = async () => ({ endpoint: (await sharedServer()).endpoint, stop: async () => {} });
async function waitUntil(what: string, predicate: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The queue URLs whose names start with `prefix`, asked of the server with a client of the test's own. */
async function queuesNamed(prefix: string): Promise<string[]> {
  const client = new SQSClient({ endpoint: (await sharedServer()).endpoint.url, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
  try {
    return (await client.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls ?? [];
  } finally {
    client.destroy();
  }
}

const oldestAgeUnknown = "SQS has no call that tells the age of a queue's oldest message";

describeAdapterContract({ factory: sqsAdapterFactory, start, deliveryTimeoutMs: 10_000, claimIdleAfterMs: 1_000, oldestAgeUnknown });

// FIFO: ordered per aggregate (its message group) among the competing members.
describeAdapterContract({ factory: sqsAdapterFactory, settings: { queueType: "fifo" }, start, deliveryTimeoutMs: 10_000, claimIdleAfterMs: 1_000, oldestAgeUnknown });

describe("sqs dead-letter queue (maxReceiveCount)", () => {
  it("moves what was received maxReceiveCount times and never deleted to the stream's dead-letter queue, counts it, and teardown deletes both queues", async () => {
    const adapter = sqsAdapterFactory.create({ endpoint: (await sharedServer()).endpoint, settings: { maxReceiveCount: 1 } });
    await adapter.connect();
    const stream = { name: `dead-letters-${process.pid}`, partitions: 1 };
    try {
      await adapter.setup(stream, ["g"]);
      const producer = await adapter.createProducer(stream);
      await producer.append([1, 2, 3].map((n) => ({ key: `k${n}`, payload: new TextEncoder().encode(`e${n}`) })));
      let received = 0;
      // Never acknowledges: after the 1 s visibility timeout the next receive finds them received once already.
      const member = await adapter.createConsumer(stream, { group: "g", member: "m", claimIdleAfterMs: 1_000 }, (events) => void (received += events.length));
      await waitUntil("all three dead-lettered", async () => (await adapter.lag(stream, "g")).events === 0 && adapter.stats?.().deadLettered === 3);
      await member.close();
      assert.equal(received, 3, "each was delivered once before it was dead-lettered");
    } finally {
      await adapter.teardown(stream);
    }
    await adapter.close();
    assert.deepEqual(await queuesNamed(stream.name), [], "teardown deleted the queue and its dead-letter queue");
  });
});
