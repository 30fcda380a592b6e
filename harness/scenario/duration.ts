/** k6 durations: `500ms`, `10s`, `1m30s`, `2h`. */
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Seconds, or null when `text` is not a duration. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return null;
  let seconds = 0;
  for (const [, value, unit] of trimmed.matchAll(PART)) seconds += Number(value) * (UNIT_S[unit as string] as number);
  return seconds;
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 120) return `${+seconds.toFixed(3)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return s ? `${m}m${s}s` : `${m}m`;
}
