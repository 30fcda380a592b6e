/**
 * Mann-Whitney U (Wilcoxon rank-sum) test, two-sided, normal approximation with tie correction.
 * Chosen over a t-test because latency percentiles per interval are skewed and heavy-tailed: the
 * rank test asks only whether one sample tends to sit above the other.
 */
export interface RankSumResult {
  /** Probability of a difference at least this large between two samples of one distribution. */
  readonly pValue: number;
  /** P(a random value of `a` > a random value of `b`) + half the ties: 0.5 means no shift. */
  readonly probabilityAGreater: number;
}

export function rankSumTest(a: readonly number[], b: readonly number[]): RankSumResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { pValue: 1, probabilityAGreater: 0.5 };
  const all = [...a.map((v) => ({ v, fromA: true })), ...b.map((v) => ({ v, fromA: false }))].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && (all[j + 1] as (typeof all)[number]).v === (all[i] as (typeof all)[number]).v) j++;
    const rank = (i + j) / 2 + 1;
    const tied = j - i + 1;
    tieTerm += tied ** 3 - tied;
    for (let k = i; k <= j; k++) if ((all[k] as (typeof all)[number]).fromA) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { pValue: 1, probabilityAGreater: u / (n1 * n2) };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { pValue: Math.min(1, 2 * (1 - standardNormalCdf(Math.max(0, z)))), probabilityAGreater: u / (n1 * n2) };
}

/** Φ(z) by Abramowitz and Stegun 7.1.26 (error below 1.5e-7), plenty for a p-value. */
export function standardNormalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
