import { startNativeRedis } from "../../harness/environment/native/redis-server.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { redisStreamsAdapterFactory } from "./redis-streams-adapter.js";
import { tempDir } from "../../test/support/temp-dir.js";

describeAdapterContract({
  factory: redisStreamsAdapterFactory,
  start: async () => startNativeRedis({ workDir: await tempDir("redis") }),
  deliveryTimeoutMs: 5_000,
  claimIdleAfterMs: 200,
});
