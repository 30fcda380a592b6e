/**
 * The harness process's resident memory (main thread and every worker thread together), sampled
 * once per interval: a long run whose RSS climbs keeps something per event, and a soak shows it.
 */
export class ProcessRss {
  private first: number | undefined;
  private last = 0;
  private highest = 0;

  /** Samples now; MiB, one decimal. */
  sample(): number {
    const mib = Math.round((process.memoryUsage.rss() / 2 ** 20) * 10) / 10;
    this.first ??= mib;
    this.last = mib;
    this.highest = Math.max(this.highest, mib);
    return mib;
  }

  /** Start, end and highest of the samples taken (the start is the first sample); undefined before any. */
  summary(): { start: number; end: number; max: number } | undefined {
    return this.first === undefined ? undefined : { start: this.first, end: this.last, max: this.highest };
  }
}
