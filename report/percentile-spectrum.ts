import * as hdr from "hdr-histogram-js";

/** One point of a latency percentile spectrum, placed as HdrHistogram's plotter places it. */
export interface SpectrumPoint {
  /** Percentile, 0-100. */
  readonly percentile: number;
  /** 1/(1-q): the log axis on which 90 %, 99 %, 99.9 % sit one decade apart. */
  readonly x: number;
  readonly ms: number;
}

/** Points per decade of 1/(1-q): enough for a smooth curve, few enough for a small report. */
const POINTS_PER_DECADE = 10;

/**
 * The percentile spectrum of an encoded steady-state histogram (result.json's `histograms`):
 * values from p0 up to the percentile where one sample is left, then the max, so the tail the
 * report draws is exactly what was recorded. The JavaScript backend is enough here: decoding is
 * once per report, not per event.
 */
export function percentileSpectrum(encoded: string): SpectrumPoint[] {
  const h = hdr.decodeFromCompressedBase64(encoded, 64, false);
  try {
    const count = h.totalCount;
    if (count === 0) return [];
    const points: SpectrumPoint[] = [];
    const ms = (us: number) => Math.round(us) / 1000;
    for (let k = 0; ; k++) {
      const tail = 10 ** (-k / POINTS_PER_DECADE);
      // The point where one sample is left is the max, pushed below. Compared with a margin: the
      // last bit of `10 ** -4` differs between V8 versions (Node 20 and 24).
      if (tail * count < 1 + 1e-9) break;
      const percentile = (1 - tail) * 100;
      points.push({ percentile, x: 1 / tail, ms: ms(h.getValueAtPercentile(percentile)) });
    }
    points.push({ percentile: (1 - 1 / count) * 100, x: count, ms: ms(h.maxValue) });
    return points;
  } finally {
    h.destroy();
  }
}

/** "99.9%" for an x of 1000: the tick labels of the 1/(1-q) axis. */
export function percentileLabel(x: number): string {
  const p = (1 - 1 / x) * 100;
  return `${Number(p.toPrecision(Math.max(2, Math.ceil(Math.log10(x)) + 1)))}%`;
}
