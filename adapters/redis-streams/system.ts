import type { SystemDefinition } from "../contract/service.js";
import { redisServerSettings } from "./redis-server-settings.js";

const NOT_ON_PATH = "redis-server is not on PATH (apt-get install -y redis-server)";

/** Redis Streams on node-redis; the server is redis-server from PATH, the redis image, or REDIS_URL. */
export const redisStreamsSystem: SystemDefinition = {
  adapters: { "redis-streams": async () => (await import("./redis-streams-adapter.js")).redisStreamsAdapterFactory },
  service: {
    name: "redis",
    settings: redisServerSettings,
    externalVariable: "REDIS_URL",
    native: {
      unavailableReason: async () => ((await (await import("./redis-native-server.js")).redisServerVersion()) === null ? NOT_ON_PATH : null),
      start: async (options) => (await import("./redis-native-server.js")).startNativeRedis(options),
      prepare: async () => {
        const version = await (await import("./redis-native-server.js")).redisServerVersion();
        return version ? `redis-server ${version} on PATH` : NOT_ON_PATH;
      },
    },
    container: async (options) => (await import("./redis-container.js")).startRedisContainer(options),
  },
};
