import type { SystemDefinition } from "../contract/service.js";
import { natsServerSettings } from "./nats-server-settings.js";
import { NATS_CACHE_FOLDER } from "./nats-server-version.js";

/** NATS JetStream on @nats-io/jetstream; the server is nats-server built into the cache, the nats image, or NATS_URL. */
export const natsJetStreamSystem: SystemDefinition = {
  adapters: { "nats-jetstream": async () => (await import("./nats-jetstream-adapter.js")).natsJetStreamAdapterFactory },
  service: {
    name: "nats",
    settings: natsServerSettings,
    externalVariable: "NATS_URL",
    native: {
      unavailableReason: async () => (await import("./nats-native-server.js")).natsUnavailableReason(),
      start: async (options) => (await import("./nats-native-server.js")).startNativeNats(options),
      prepare: async () => (await import("./nats-native-server.js")).prepareNatsServer(),
      cacheFolder: NATS_CACHE_FOLDER,
    },
    container: async (options) => (await import("./nats-container.js")).startNatsContainer(options),
  },
};
