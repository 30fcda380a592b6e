import { z } from "zod";

/** nats-server's own default for `jetstream.sync_interval`: the file store is fsynced every two minutes. */
export const SERVER_DEFAULT_SYNC_INTERVAL = "2m";

/** `services.nats` of a scenario: how the nats-server eventbench starts keeps data (persistence is part of what is measured). */
export const natsServerSettings = z
  .object({
    syncInterval: z
      .string()
      .regex(/^(always|[1-9]\d*(ms|s|m|h))$/, "expected always or a duration such as 500ms, 10s, 2m")
      .optional()
      .describe(
        "jetstream.sync_interval: how often the file store is fsynced (default 2m, the server's); always: fsync before each publish is acknowledged",
      ),
  })
  .strict();

export type NatsServerSettings = z.infer<typeof natsServerSettings>;

/** The sync interval in force, as the config file takes it and the result reports it. */
export function natsSyncInterval(settings: Readonly<Record<string, unknown>> | undefined): string {
  return natsServerSettings.parse(settings ?? {}).syncInterval ?? SERVER_DEFAULT_SYNC_INTERVAL;
}

/** The persistence reported in result.json: the file store, and when it reaches the disk. */
export function natsPersistence(syncInterval: string): Record<string, string> {
  return {
    store: "file",
    sync_interval: syncInterval === SERVER_DEFAULT_SYNC_INTERVAL ? `${syncInterval} (server default)` : syncInterval,
    fsync: syncInterval === "always" ? "before each PubAck" : `every ${syncInterval}, not per publish`,
  };
}
