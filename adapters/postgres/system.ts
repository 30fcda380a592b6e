import type { SystemDefinition } from "../contract/service.js";
import { postgresServerSettings } from "./postgres-server-settings.js";

const NOT_FOUND = "PostgreSQL (initdb, postgres) is neither on PATH nor in /usr/lib/postgresql/*/bin (apt-get install -y postgresql)";

/** PostgreSQL as an event store; the server is Debian's PostgreSQL started into the run folder, the postgres image, or DATABASE_URL. */
export const postgresSystem: SystemDefinition = {
  adapters: { postgres: async () => (await import("./postgres-adapter.js")).postgresAdapterFactory },
  service: {
    name: "postgres",
    settings: postgresServerSettings,
    externalVariable: "DATABASE_URL",
    native: {
      unavailableReason: async () => ((await (await import("./postgres-native-server.js")).postgresServerVersion()) === null ? NOT_FOUND : null),
      start: async (options) => (await import("./postgres-native-server.js")).startNativePostgres(options),
      prepare: async () => {
        const server = await import("./postgres-native-server.js");
        const version = await server.postgresServerVersion();
        return version ? `postgres ${version} in ${await server.postgresBinDir()}` : NOT_FOUND;
      },
    },
    container: async (options) => (await import("./postgres-container.js")).startPostgresContainer(options),
  },
};
