/** A config value in double quotes: paths may hold spaces, and the server refuses `sync_interval` unquoted. */
const quoted = (value: string) => JSON.stringify(value);

/**
 * nats-server's config for eventbench: where it listens, JetStream on with its file store in
 * `storeDir`, fsynced every `syncInterval`. Everything is in the file: `store_dir` here and the
 * `-sd` flag would clash, and `sync_interval` has no flag.
 */
export function natsConfig(listen: string, storeDir: string, syncInterval: string): string {
  return [`listen: ${quoted(listen)}`, "jetstream {", `  store_dir: ${quoted(storeDir)}`, `  sync_interval: ${quoted(syncInterval)}`, "}", ""].join("\n");
}
