import { after } from "node:test";
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
const oldestAgeUnknown = "SQS has no call that tells the age of a queue's oldest message";

describeAdapterContract({ factory: sqsAdapterFactory, start, deliveryTimeoutMs: 10_000, claimIdleAfterMs: 1_000, oldestAgeUnknown });

// FIFO: ordered per aggregate (its message group) among the competing members.
describeAdapterContract({ factory: sqsAdapterFactory, settings: { queueType: "fifo" }, start, deliveryTimeoutMs: 10_000, claimIdleAfterMs: 1_000, oldestAgeUnknown });
