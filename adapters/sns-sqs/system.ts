import type { SystemDefinition } from "../contract/service.js";
import { MOTO_CACHE_FOLDER, MOTO_VERSION } from "./moto-distribution.js";

/**
 * Amazon SNS fanning out to SQS queues, on the AWS SDK; the server is moto's server mode (SNS and
 * SQS on one port, from PyPI into the cache) or SNS_ENDPOINT with SQS_ENDPOINT (real AWS included).
 */
export const snsSqsSystem: SystemDefinition = {
  adapters: { "sns-sqs": async () => (await import("./sns-sqs-adapter.js")).snsSqsAdapterFactory },
  service: {
    name: "sns",
    externalVariable: "SNS_ENDPOINT",
    native: {
      unavailableReason: async () => {
        const distribution = await import("./moto-distribution.js");
        return distribution.motoInstalled() ? null : distribution.pythonUnavailableReason();
      },
      start: async (options) => (await import("./moto-native-server.js")).startNativeMoto(options),
      cacheFolder: MOTO_CACHE_FOLDER,
      prepare: async () => `moto ${MOTO_VERSION} server mode (cache: ${await (await import("./moto-distribution.js")).resolveMoto()})`,
    },
  },
};
