import type { LagSample, StreamAdapter, StreamSpec } from "../../adapters/contract/adapter.js";

/**
 * Asks the system for each group's backlog once a second. A query still running when the next is
 * due (a stalled server) is not stacked: the sample just ages, and the interval reports the last.
 */
export class ConsumerLagSampler {
  private readonly latest = new Map<string, LagSample>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  errors = 0;

  constructor(
    private readonly adapter: StreamAdapter,
    private readonly stream: StreamSpec,
    private readonly groups: readonly string[],
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  snapshot(): Record<string, LagSample> {
    return Object.fromEntries(this.latest);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const g of this.groups) this.latest.set(g, await this.adapter.lag(this.stream, g));
    } catch {
      this.errors++;
    } finally {
      this.busy = false;
    }
  }
}
