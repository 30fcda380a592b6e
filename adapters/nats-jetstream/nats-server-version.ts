/** Pinned: result.json names it. Debian's nats-server (2.9) predates batched direct gets. */
export const NATS_SERVER_VERSION = "2.15.3";
/** The folder `env prepare` builds the binary into, under eventbench's cache (a new version is a new folder). */
export const NATS_CACHE_FOLDER = `nats-server-${NATS_SERVER_VERSION}`;
