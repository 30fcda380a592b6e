import { describeAdapterContract } from "../contract/contract-suite.js";
import { rabbitmqQuorumAdapterFactory } from "./rabbitmq-quorum-adapter.js";
import { startNativeRabbitmq } from "./rabbitmq-native-server.js";
import { tempDir } from "../../test/support/temp-dir.js";

describeAdapterContract({
  factory: rabbitmqQuorumAdapterFactory,
  start: async () => startNativeRabbitmq({ workDir: await tempDir("rabbitmq") }),
  deliveryTimeoutMs: 5_000,
});
