import { createHash } from "node:crypto";

/** PostgreSQL truncates identifiers at 63 bytes: a longer stream name keeps a prefix and a hash. */
const MAX_IDENTIFIER = 63;

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Everything one stream owns on the server, named after it: one schema holding the events, the
 * checkpoints and the append function, so teardown drops exactly what the run created.
 */
export interface StreamObjects {
  /** The schema, quoted for SQL. */
  readonly schema: string;
  /** The schema's name as `information_schema` lists it. */
  readonly schemaName: string;
  readonly events: string;
  readonly checkpoints: string;
  readonly appendFunction: string;
  /** The LISTEN/NOTIFY channel appends signal on. */
  readonly channel: string;
  /** First key of the stream's advisory locks (per-aggregate appends, group members). */
  readonly lockSpace: number;
}

export function streamObjects(streamName: string): StreamObjects {
  const digest = createHash("sha256").update(streamName).digest();
  const schemaName = Buffer.byteLength(streamName) <= MAX_IDENTIFIER ? streamName : `${streamName.slice(0, 40)}-${digest.toString("hex").slice(0, 16)}`;
  const schema = quote(schemaName);
  return {
    schema,
    schemaName,
    events: `${schema}.events`,
    checkpoints: `${schema}.checkpoints`,
    appendFunction: `${schema}.append_events`,
    channel: `eventbench_${digest.toString("hex").slice(0, 40)}`,
    lockSpace: digest.readInt32BE(0),
  };
}

/** Second advisory-lock key of a group's member count (partitions are 0…n-1, so this one is free). */
export const MEMBERSHIP_LOCK = -1;

/** First advisory-lock key of one consumer group's partition leases. */
export function groupLockSpace(streamName: string, group: string): number {
  return createHash("sha256").update(`${streamName}\u0000${group}`).digest().readInt32BE(0);
}
