import type { SystemDefinition } from "../contract/service.js";
import { ARTEMIS_CACHE_FOLDER, ARTEMIS_VERSION } from "./artemis-distribution.js";

/**
 * ActiveMQ Artemis over AMQP 1.0; the broker is an instance of Maven Central's Artemis
 * distribution run with the machine's Java, the apache/activemq-artemis image, or ARTEMIS_URL.
 */
export const artemisSystem: SystemDefinition = {
  adapters: { artemis: async () => (await import("./artemis-adapter.js")).artemisAdapterFactory },
  service: {
    name: "artemis",
    externalVariable: "ARTEMIS_URL",
    native: {
      unavailableReason: async () => (await import("./artemis-native-server.js")).artemisUnavailableReason(),
      start: async (options) => (await import("./artemis-native-server.js")).startNativeArtemis(options),
      cacheFolder: ARTEMIS_CACHE_FOLDER,
      prepare: async () => {
        const home = await (await import("./artemis-distribution.js")).resolveArtemis();
        const reason = await (await import("./artemis-native-server.js")).artemisUnavailableReason();
        return `ActiveMQ Artemis ${ARTEMIS_VERSION} (cache: ${home})${reason ? `; ${reason}` : ""}`;
      },
    },
    container: async (options) => (await import("./artemis-container.js")).startArtemisContainer(options),
  },
};
