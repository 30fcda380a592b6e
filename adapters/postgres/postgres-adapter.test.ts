import { describeAdapterContract } from "../contract/contract-suite.js";
import { postgresAdapterFactory } from "./postgres-adapter.js";
import { startNativePostgres } from "./postgres-native-server.js";
import { tempDir } from "../../test/support/temp-dir.js";

// Polling subscriptions (the default).
describeAdapterContract({
  factory: postgresAdapterFactory,
  start: async () => startNativePostgres({ workDir: await tempDir("postgres") }),
  deliveryTimeoutMs: 5_000,
});

// LISTEN/NOTIFY wake-ups with a long fallback poll: deliveries must come from the notifications.
describeAdapterContract({
  factory: postgresAdapterFactory,
  settings: { notify: true, pollIntervalMs: 2_000 },
  start: async () => startNativePostgres({ workDir: await tempDir("postgres") }),
  deliveryTimeoutMs: 5_000,
});
