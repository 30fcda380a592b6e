import * as hdr from "hdr-histogram-js";

/**
 * HDR histograms as the harness uses them: WebAssembly backend (20-30 ns a record), 64-bit counts
 * (no overflow in long runs), values in microseconds, 3 significant digits, auto-resizing so a
 * stall of any length is recorded as it is, never clamped.
 */
hdr.initWebAssemblySync();

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({
    useWebAssembly: true,
    bitBucketSize: 64,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000, // 60 s in µs; grows beyond on demand
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Decodes into a WASM 64-bit histogram, the only kind `newHistogram` ones can be added to. */
export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 64, true);
}

/** Adds an encoded histogram into `into`, freeing the decoded copy. */
export function addEncoded(into: Histogram, encoded: string): void {
  const h = decodeHistogram(encoded);
  into.add(h);
  h.destroy();
}

export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

const msFromUs = (us: number) => Math.round(us) / 1000;

/** Summary in milliseconds with microsecond decimals, as result.json carries it. */
export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    count: h.totalCount,
    min: msFromUs(h.minNonZeroValue),
    mean: Math.round(h.mean) / 1000,
    p50: msFromUs(h.getValueAtPercentile(50)),
    p90: msFromUs(h.getValueAtPercentile(90)),
    p99: msFromUs(h.getValueAtPercentile(99)),
    p999: msFromUs(h.getValueAtPercentile(99.9)),
    max: msFromUs(h.maxValue),
  };
}

/** Value in ms at any percentile (thresholds ask for p(95), p(99.5) …). */
export function percentileMs(h: Histogram, percentile: number): number {
  return h.totalCount === 0 ? 0 : msFromUs(h.getValueAtPercentile(percentile));
}

/**
 * How many values are at or below each bound (µs, ascending): the cumulative `le` buckets of a
 * Prometheus histogram. Walks the recorded values of a plain-JS copy (the WASM histogram exposes
 * no iteration); each counts at the bottom of its HdrHistogram bucket (within 0.1 % of the value),
 * so a value exactly on a bound is at or below it, as Prometheus's `le` has it.
 */
export function countsAtOrBelow(h: Histogram, boundsUs: readonly number[]): number[] {
  const counts = boundsUs.map(() => 0);
  if (h.totalCount === 0) return counts;
  const copy = hdr.decodeFromCompressedBase64(hdr.encodeIntoCompressedBase64(h), 64, false) as hdr.JsHistogram;
  const values = copy.recordedValuesIterator;
  values.reset();
  let i = 0;
  while (values.hasNext()) {
    const { valueIteratedTo, countAtValueIteratedTo } = values.next();
    const value = copy.lowestEquivalentValue(valueIteratedTo);
    while (i < boundsUs.length && (boundsUs[i] as number) < value) i++;
    if (i < counts.length) counts[i] = (counts[i] as number) + countAtValueIteratedTo;
  }
  for (let k = 1; k < counts.length; k++) counts[k] = (counts[k] as number) + (counts[k - 1] as number);
  return counts;
}
