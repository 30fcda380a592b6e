/** How the aggregate of each event, command, rehydration or query is chosen. */
export type KeyDistribution = { readonly kind: "uniform" } | { readonly kind: "zipf"; readonly exponent: number };

/**
 * A chooser of key indexes in [0, keys). Zipf: key k (0-based) has probability ∝ 1/(k+1)^s, so key 0
 * is the hottest aggregate; sampled by binary search in the precomputed cumulative distribution
 * (O(log keys) per draw, one Float64Array of `keys` entries per chooser).
 */
export function keyChooser(keys: number, distribution: KeyDistribution, random: () => number = Math.random): () => number {
  if (distribution.kind === "uniform") return () => Math.floor(random() * keys);
  const cdf = new Float64Array(keys);
  let sum = 0;
  for (let k = 0; k < keys; k++) {
    sum += 1 / Math.pow(k + 1, distribution.exponent);
    cdf[k] = sum;
  }
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = keys - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
