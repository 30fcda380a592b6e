/**
 * Where the redis-streams adapter keeps the event store beside a stream (setting `eventStore`):
 * per aggregate, a stream of its events whose ids are `0-<version>` (so XRANGE reads from a
 * version, and an id can never be taken twice), one hash of current versions, and the set of
 * aggregates written, so teardown can find every per-aggregate stream. On Redis Cluster these keys
 * would need one hash tag with the stream; eventbench runs a single node.
 */
export interface EventStoreKeys {
  readonly versions: string;
  readonly aggregates: string;
  aggregate(key: string): string;
}

export function eventStoreKeys(stream: string): EventStoreKeys {
  return {
    versions: `${stream}:versions`,
    aggregates: `${stream}:aggregates`,
    aggregate: (key) => `${stream}:aggregate:${key}`,
  };
}

/** Per-aggregate stream id of `version` (≥ 1): ids order by version and `0-0` is never used. */
export const versionId = (version: number) => `0-${version}`;
