import type { LagSample, StreamAdapter, StreamSpec } from "../../adapters/contract/adapter.js";

/** How long a reading waits for the system's answer before it reports the last one it has. */
const ANSWER_WITHIN_MS = 200;

/** Resolves when `p` settles or after `ms`, whichever comes first. */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))))]);
  clearTimeout(timer);
}

/**
 * Asks the system for each group's backlog at every reading of the run: each per-second one, and
 * each finer one while consumers drain, so lag follows the system through a half-second drain.
 * Made right after set-up, before any consumer starts, so a backlog built with consumers stopped
 * is seen building. A question still unanswered after `answerWithinMs` is not repeated (a stalled
 * server gets no pile of them): the reading reports the last answer, and the next one waits for
 * that question's answer in turn.
 */
export class ConsumerLagSampler {
  private readonly latest = new Map<string, LagSample>();
  private asking: Promise<void> | undefined;
  errors = 0;

  constructor(
    private readonly adapter: StreamAdapter,
    private readonly stream: StreamSpec,
    private readonly groups: readonly string[],
    private readonly answerWithinMs = ANSWER_WITHIN_MS,
  ) {}

  /** Each group's backlog as the system tells it now, or its last answer when it is slower than `answerWithinMs`. */
  async read(): Promise<Record<string, LagSample>> {
    await within(this.question(), this.answerWithinMs);
    return Object.fromEntries(this.latest);
  }

  /**
   * Waits, at most `withinMs`, for an answer to a question asked from now on (one still out was
   * asked earlier): once the consumers stopped, the entry's last lag is what the system has then,
   * not an answer from inside the drain that a slow system (Kafka on a loaded machine) gave late.
   */
  async settle(withinMs: number): Promise<void> {
    const until = Date.now() + withinMs;
    if (this.asking) await within(this.asking, withinMs);
    if (!this.asking) await within(this.question(), until - Date.now());
  }

  /** The question out, or a new one. */
  private question(): Promise<void> {
    this.asking ??= this.ask().finally(() => (this.asking = undefined));
    return this.asking;
  }

  private async ask(): Promise<void> {
    try {
      for (const g of this.groups) this.latest.set(g, await this.adapter.lag(this.stream, g));
    } catch {
      this.errors++;
    }
  }
}
