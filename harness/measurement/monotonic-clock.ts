/**
 * Nanoseconds on CLOCK_MONOTONIC. Every thread and process of one host reads the same clock, so an
 * intended send time written by a producer thread can be subtracted from a receive time read by a
 * consumer thread (performance.now() cannot: each worker has its own time origin).
 */
export function monotonicNowNs(): number {
  return Number(process.hrtime.bigint());
}

export const NS_PER_MS = 1_000_000;
export const NS_PER_US = 1_000;
