import type { LagSample } from "../contract/adapter.js";
import { oldestUnconsumedTimestampMs, type OffsetsForTimestamp } from "./oldest-unconsumed-age.js";

export interface PartitionEnds {
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

/**
 * A group's backlog from Kafka's offsets, whichever client asked: per partition, log-end minus
 * committed (no commit yet: the group starts at the low watermark), and the age of the oldest
 * uncommitted record from Kafka's time index.
 */
export async function kafkaLag(committed: ReadonlyMap<number, number>, ends: readonly PartitionEnds[], offsetsAt: OffsetsForTimestamp): Promise<LagSample> {
  let events = 0;
  const lagging = new Map<number, number>();
  for (const p of ends) {
    const c = committed.get(p.partition) ?? -1;
    const from = c >= 0 ? c : p.low;
    const behind = Math.max(0, p.high - from);
    events += behind;
    if (behind > 0) lagging.set(p.partition, from);
  }
  if (events === 0) return { events: 0, oldestAgeMs: 0 };
  const now = Date.now();
  const oldest = await oldestUnconsumedTimestampMs(offsetsAt, lagging, now);
  return { events, oldestAgeMs: oldest === null ? null : Math.max(0, now - oldest) };
}
