/**
 * How long a system may answer nothing while appends wait on it before its entry stops as a
 * failure. Every acknowledgement or error is an answer, so only a server that is gone without
 * closing its connections (SIGSTOP, a dead host) or one the client waits on forever (a killed
 * Redis behind ioredis's offline queue) reaches it. Planned faults (a pause, a restart) are excused
 * while they last; the watch starts again at their end.
 */
export const NO_ANSWER_S = 10;

/** What the watch saw when it gave up: written into the entry as `noAnswer`. */
export interface NoAnswer {
  /** Seconds since t0 of the last interval in which the system answered anything; null if it never did. */
  readonly lastAnswerS: number | null;
  readonly detectedS: number;
  /** Events sent and neither acknowledged nor failed when the watch gave up. */
  readonly waiting: number;
}

export interface AnswerCounts {
  /** Events sent so far. */
  readonly sent: number;
  /** Events acknowledged, refused (conflicts) or failed so far. */
  readonly answered: number;
}

export class AnswerWatch {
  private answered = 0;
  private lastAnswerS: number | null = null;

  constructor(private readonly noAnswerS = NO_ANSWER_S) {}

  /** After each reading: the NoAnswer when the system has been silent too long, else undefined. */
  check(t: number, counts: AnswerCounts, excusedUntilS: number): NoAnswer | undefined {
    if (counts.answered > this.answered) {
      this.answered = counts.answered;
      this.lastAnswerS = t;
    }
    const waiting = counts.sent - counts.answered;
    const quietSince = Math.max(this.lastAnswerS ?? 0, excusedUntilS);
    if (waiting <= 0 || t - quietSince < this.noAnswerS) return undefined;
    return { lastAnswerS: this.lastAnswerS, detectedS: t, waiting };
  }
}

export function describeNoAnswer(n: NoAnswer): string {
  const since = n.lastAnswerS === null ? "it never answered" : `its last answer came by ${n.lastAnswerS.toFixed(1)} s`;
  return `the system stopped answering: nothing acknowledged or refused for ${NO_ANSWER_S} s with ${n.waiting} events waiting (${since}; given up at ${n.detectedS.toFixed(1)} s)`;
}
