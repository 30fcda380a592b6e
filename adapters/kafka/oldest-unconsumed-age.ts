/**
 * The append time of the oldest event a group has not committed, from Kafka's own index: ListOffsets
 * by timestamp answers "first offset whose timestamp is ≥ t" per partition. For a committed offset c,
 * that offset is ≤ c exactly while t ≤ timestamp(record c), so a search on t finds the record's
 * timestamp to the millisecond without fetching it (kafkajs has no group-less fetch). Searching all
 * lagging partitions at once finds the smallest such timestamp: the oldest unconsumed event.
 * Timestamps are the producer's CreateTime (ms wall clock): on one host, the same clock as `Date.now`.
 */
export type OffsetsForTimestamp = (timestampMs: number) => Promise<ReadonlyMap<number, number>>;

const LONGEST_SEARCH_MS = 7 * 24 * 3_600_000;

/** Null when the oldest record is older than a week (then its age is not worth a search). */
export async function oldestUnconsumedTimestampMs(
  offsetsAt: OffsetsForTimestamp,
  committed: ReadonlyMap<number, number>,
  nowMs: number,
): Promise<number | null> {
  const allBehind = async (t: number) => {
    const offsets = await offsetsAt(t);
    for (const [partition, c] of committed) if ((offsets.get(partition) ?? Number.POSITIVE_INFINITY) > c) return false;
    return true;
  };
  if (await allBehind(nowMs)) return nowMs;
  let step = 1_000;
  let lo = nowMs - step;
  let hi = nowMs;
  while (!(await allBehind(lo))) {
    if (step > LONGEST_SEARCH_MS) return null;
    hi = lo;
    step *= 4;
    lo = nowMs - step;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await allBehind(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
