import type { SystemDefinition } from "../contract/service.js";
import { kinesaliteSettings } from "./kinesis-server-settings.js";

/**
 * Amazon Kinesis Data Streams on the AWS SDK; the server is kinesalite (npm, run with eventbench's
 * own Node, dynalite beside it for the lease tables) or KINESIS_ENDPOINT (real AWS included).
 */
export const kinesisSystem: SystemDefinition = {
  adapters: { kinesis: async () => (await import("./kinesis-adapter.js")).kinesisAdapterFactory },
  service: {
    name: "kinesis",
    settings: kinesaliteSettings,
    externalVariable: "KINESIS_ENDPOINT",
    native: {
      // kinesalite and dynalite are npm dependencies of eventbench, run with the Node running it.
      unavailableReason: async () => null,
      start: async (options) => (await import("./kinesalite-native-server.js")).startNativeKinesalite(options),
      prepare: async () => `kinesalite ${(await import("./kinesalite-native-server.js")).KINESALITE_VERSION} (npm dependency, run with node ${process.version}): nothing to download`,
    },
  },
};
