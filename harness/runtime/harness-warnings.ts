/**
 * When the harness may have measured itself rather than the system (DESIGN.md: a benchmark that
 * is its own bottleneck must not report the system as slow). Each warning says what was seen and
 * what it means for the figures.
 */
export interface HealthInputs {
  readonly mode: "open-loop" | "closed-loop";
  readonly throughput: { readonly target: number; readonly sent: number };
  readonly scheduleDelayP99Ms: number;
  readonly inFlightLimited: number;
  readonly eventLoopP99Ms: number;
  /** Longest wait for the threads' per-second readings in the steady state. */
  readonly readingWaitMaxMs: number;
  readonly inProcess: boolean;
  /** Acknowledged events/s as a share of the harness's ceiling on this machine; null when not measured here. */
  readonly ceilingShare: number | null;
}

/** Event-loop delay above this (p99 of any harness thread) delays sends and receive timestamps. */
export const EVENT_LOOP_P99_LIMIT_MS = 50;
/** Sends later than this after their intended time (p99), with no back-pressure to explain it. */
export const SCHEDULE_DELAY_P99_LIMIT_MS = 20;
/** A thread that takes longer than this to hand over its per-second reading was not keeping up. */
export const READING_WAIT_LIMIT_MS = 1000;
/** Share of the harness's own ceiling above which a system's figures may be the harness's. */
export const CEILING_SHARE_LIMIT = 0.5;
/** Share of the target send rate below which the scheduler is behind. */
export const SEND_RATE_FLOOR = 0.97;

/**
 * What each warning is about: every warning starts with one of these and a colon, so a report can
 * group one cause's warnings across entries (their figures differ, the cause and its remedy do not).
 */
export const HARNESS_WARNING_CAUSES = {
  eventLoop: "event loop delayed",
  lateReadings: "harness threads answered late",
  scheduleDelay: "scheduler behind",
  sendRate: "scheduler behind target",
  ceiling: "near the harness's own ceiling",
  inProcess: "the memory adapter runs producers and consumers on the same threads",
} as const;
const C = HARNESS_WARNING_CAUSES;

/**
 * The cause a warning text starts with. A merged result prefixes its workers' warnings with
 * "worker <runId>: "; a text from an older eventbench that starts with no known cause is its own.
 */
export function harnessWarningCause(text: string): string {
  const body = text.replace(/^worker \S+: /, "");
  return Object.values(C).find((cause) => body.startsWith(`${cause}:`)) ?? body;
}

export function harnessWarnings(h: HealthInputs): string[] {
  const warnings: string[] = [];
  if (h.eventLoopP99Ms > EVENT_LOOP_P99_LIMIT_MS) {
    warnings.push(
      `${C.eventLoop}: p99 ${h.eventLoopP99Ms.toFixed(1)} ms in a harness thread (limit ${EVENT_LOOP_P99_LIMIT_MS} ms); latencies include harness delay`,
    );
  }
  if (h.readingWaitMaxMs > READING_WAIT_LIMIT_MS) {
    warnings.push(
      `${C.lateReadings}: a per-second reading took ${(h.readingWaitMaxMs / 1000).toFixed(1)} s to arrive (limit ${READING_WAIT_LIMIT_MS / 1000} s); the rates and per-second figures are unreliable`,
    );
  }
  if (h.mode === "open-loop" && h.inFlightLimited === 0) {
    if (h.scheduleDelayP99Ms > SCHEDULE_DELAY_P99_LIMIT_MS) {
      warnings.push(
        `${C.scheduleDelay}: p99 ${h.scheduleDelayP99Ms.toFixed(1)} ms between intended and actual send (limit ${SCHEDULE_DELAY_P99_LIMIT_MS} ms) with no back-pressure from the system`,
      );
    }
    if (h.throughput.target > 0 && h.throughput.sent < h.throughput.target * SEND_RATE_FLOOR) {
      warnings.push(
        `${C.sendRate}: sent ${h.throughput.sent.toFixed(0)}/s of ${h.throughput.target.toFixed(0)}/s with no back-pressure from the system: the harness is the bottleneck`,
      );
    }
  }
  if (!h.inProcess && h.ceilingShare !== null && h.ceilingShare > CEILING_SHARE_LIMIT) {
    warnings.push(
      `${C.ceiling}: acknowledged ${(h.ceilingShare * 100).toFixed(0)} % of what it schedules, records and verifies flat out on this machine (npm run bench:harness); a faster system would be measured short`,
    );
  }
  if (h.inProcess && warnings.length > 0) {
    warnings.push(`${C.inProcess}: its figures are the harness's own ceiling`);
  }
  return warnings;
}
