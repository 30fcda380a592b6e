import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNativeRedis } from "../../harness/environment/native/redis-server.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { redisStreamsAdapterFactory } from "./redis-streams-adapter.js";

describeAdapterContract({
  factory: redisStreamsAdapterFactory,
  start: async () => startNativeRedis({ workDir: await mkdtemp(join(tmpdir(), "eventbench-redis-")) }),
  deliveryTimeoutMs: 5_000,
  claimIdleAfterMs: 200,
});
