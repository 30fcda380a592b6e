import { describeAdapterContract } from "../contract/contract-suite.js";
import { artemisAdapterFactory } from "./artemis-adapter.js";
import { startNativeArtemis } from "./artemis-native-server.js";
import { tempDir } from "../../test/support/temp-dir.js";

describeAdapterContract({
  factory: artemisAdapterFactory,
  start: async () => startNativeArtemis({ workDir: await tempDir("artemis") }),
  deliveryTimeoutMs: 5_000,
});
