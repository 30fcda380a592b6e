import type { DeliveryVerifier, SeqMarks } from "../measurement/delivery-verifier.js";
import type { FaultResult, TimeseriesPoint, WorkloadFigure } from "../result/result-schema.js";
import { figure } from "../../scenarios/workloads/workload-figures.js";
import type { FaultRecord } from "./fault-injector.js";

export interface FaultMeasurements {
  readonly records: readonly FaultRecord[];
  readonly verifier: DeliveryVerifier;
  readonly groups: readonly string[];
  /** Next seq per stream when producing stopped: the last window's end. */
  readonly sentAtEnd: SeqMarks;
  readonly timeseries: readonly TimeseriesPoint[];
  readonly t0Ns: number;
  /** Durability settings in force (the server's, as started or read back). */
  readonly persistence: Readonly<Record<string, string>>;
}

/** A latency is back once its per-second p99 is within this of the level before the first fault. */
const RECOVERED_FACTOR = 2;
const RECOVERED_SLACK_MS = 5;
/** Acknowledged or consumed events of a second are back once they reach this share of the level before. */
const RESUMED_SHARE = 0.9;

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const round3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/** Per-second p99s (publish, end-to-end) before the first fault: the level a spike is measured against. */
function levelBefore(points: readonly TimeseriesPoint[], beforeS: number, pick: (p: TimeseriesPoint) => number | null): number | null {
  const before = points.filter((p) => p.phase !== "drain" && p.t <= beforeS);
  const steady = before.filter((p) => p.phase === "steady");
  return median((steady.length ? steady : before).map(pick).filter((v): v is number => v !== null));
}

/**
 * Each fault's own figures: how long until the system served again, what was lost, duplicated and
 * reordered among the events of its window (sends from the entry's start, or shortly before a later
 * fault, until the next fault's
 * window), and how far latency spiked and when it came back.
 */
export function faultResults(m: FaultMeasurements): FaultResult[] {
  const firstAt = m.records[0]?.plan.atS ?? 0;
  const publishBefore = levelBefore(m.timeseries, firstAt, (p) => p.publishP99);
  const e2eBefore = levelBefore(m.timeseries, firstAt, (p) => p.e2eP99);
  const ackedBefore = levelBefore(m.timeseries, firstAt, (p) => p.acked);
  const consumedBefore = levelBefore(m.timeseries, firstAt, (p) => p.consumed);
  const sinceStart = (r: FaultRecord, ns: number | undefined) =>
    ns === undefined || r.startedS === undefined ? null : round3((ns - m.t0Ns) / 1e9 - r.startedS);

  return m.records.map((r, i) => {
    const next = m.records[i + 1];
    const windowEnd = next?.windowStart ?? m.sentAtEnd;
    const windowEndS = next?.windowStartS ?? Infinity;
    const lostByGroup: Record<string, number> = {};
    let duplicated = 0;
    let outOfOrder = 0;
    for (const g of m.groups) {
      lostByGroup[g] = r.windowStart ? m.verifier.lostBetween(g, r.windowStart, windowEnd) : 0;
      const atEnd = next?.anomaliesAtStart[g] ?? m.verifier.anomalies(g);
      const atStart = r.anomaliesAtStart[g] ?? { duplicated: 0, outOfOrder: 0 };
      duplicated += atEnd.duplicated - atStart.duplicated;
      outOfOrder += atEnd.outOfOrder - atStart.outOfOrder;
    }
    const during = m.timeseries.filter((p) => r.startedS !== undefined && p.t > r.startedS && p.t <= windowEndS + 1);
    const peak = (pick: (p: TimeseriesPoint) => number | null) => {
      const values = during.map(pick).filter((v): v is number => v !== null);
      return values.length ? Math.max(...values) : null;
    };
    const recoveredAt = (() => {
      if (r.endedS === undefined || r.startedS === undefined || publishBefore === null) return null;
      const limit = Math.max(publishBefore * RECOVERED_FACTOR, publishBefore + RECOVERED_SLACK_MS);
      const back = during.find((p) => p.t > (r.endedS as number) && p.publishP99 !== null && p.publishP99 <= limit);
      return back ? round3(back.t - r.startedS) : null;
    })();
    /** The first whole second after the start whose count is back (a second that straddles the start still holds events from before it). */
    const resumedAt = (pick: (p: TimeseriesPoint) => number, level: number | null) => {
      if (r.startedS === undefined || level === null || level <= 0) return null;
      const back = m.timeseries.find((p) => p.phase !== "drain" && p.t - 1 >= (r.startedS as number) && pick(p) >= level * RESUMED_SHARE);
      return back ? round3(back.t - r.startedS) : null;
    };
    return {
      kind: r.plan.kind,
      description: r.description,
      atS: r.plan.atS,
      startedS: round3(r.startedS ?? null),
      endedS: round3(r.endedS ?? null),
      ...(r.error ? { error: r.error } : {}),
      firstAckAfterS: sinceStart(r, r.firstAckNs),
      firstConsumedAfterS: sinceStart(r, r.firstConsumedNs),
      ...(r.plan.kind === "kill-member" ? { replacementFirstEventS: sinceStart(r, r.replacementFirstNs) } : {}),
      ...(r.member ? { member: r.member } : {}),
      ...((r.plan.kind === "kill-broker" || r.plan.kind === "pause-broker") && typeof r.plan.broker === "string" ? { roleTakenOverS: sinceStart(r, r.takenOverNs) } : {}),
      ackedResumedS: resumedAt((p) => p.acked, ackedBefore),
      consumedResumedS: resumedAt((p) => p.consumed, consumedBefore),
      windowFromS: round3(r.windowStartS ?? null),
      lost: Object.values(lostByGroup).reduce((a, b) => a + b, 0),
      lostByGroup,
      duplicated,
      outOfOrder,
      publishP99Ms: { before: round3(publishBefore), peak: round3(peak((p) => p.publishP99)) },
      e2eP99Ms: { before: round3(e2eBefore), peak: round3(peak((p) => p.e2eP99)) },
      latencyRecoveredS: recoveredAt,
      persistence: { ...m.persistence },
    };
  });
}

/** The faults as figures, so the report's figure table and a scenario's claims can use them. */
export function faultFigures(results: readonly FaultResult[]): WorkloadFigure[] {
  return results.flatMap((f, i) => {
    const name = (what: string) => `fault ${i + 1} (${f.kind} at ${f.atS} s): ${what}`;
    const settings = Object.entries(f.persistence).map(([k, v]) => `${k} ${v}`).join(", ");
    const figures: WorkloadFigure[] = [
      figure(name("time to first acknowledgement"), f.firstAckAfterS, "s", `from the fault's start to the first append acknowledged after it ended (${f.description})`),
      figure(name("time to first consumed event"), f.firstConsumedAfterS, "s", "from the fault's start to the first event any group received after it ended"),
      ...(f.kind === "kill-member"
        ? [figure(name("rebalance time"), f.replacementFirstEventS ?? null, "s", "from the kill to the replacement member's first event")]
        : []),
      ...(f.roleTakenOverS !== undefined
        ? [figure(name("role taken over after"), f.roleTakenOverS, "s", `from the kill of ${f.member ?? "the member"} until the cluster's metadata named another member in its role (the election)`)]
        : []),
      figure(name("acknowledgements resumed after"), f.ackedResumedS ?? null, "s", `from the fault's start to the end of the first whole second after it with acknowledgements at ${RESUMED_SHARE * 100} % of the level before`),
      figure(name("consumption resumed after"), f.consumedResumedS ?? null, "s", `from the fault's start to the end of the first whole second after it with consumed events at ${RESUMED_SHARE * 100} % of the level before`),
      figure(name("events lost"), f.lost, "events", `acknowledged, never consumed, among the events sent from ${f.windowFromS ?? "?"} s until the next fault's window${settings ? `; persistence: ${settings}` : ""}`),
      figure(name("events duplicated"), f.duplicated, "events"),
      figure(name("events out of order"), f.outOfOrder, "events"),
      figure(name("publish p99 peak"), f.publishP99Ms.peak, "ms", `per-second publish p99 at its highest after the fault (before it: ${f.publishP99Ms.before ?? "–"} ms)`),
      figure(name("end-to-end p99 peak"), f.e2eP99Ms.peak, "ms", `per-second end-to-end p99 at its highest after the fault (before it: ${f.e2eP99Ms.before ?? "–"} ms)`),
      figure(name("latency recovered after"), f.latencyRecoveredS, "s", `from the fault's start until a second's publish p99 was back within ${RECOVERED_FACTOR}× (or +${RECOVERED_SLACK_MS} ms) of the level before`),
    ];
    return figures.map((x) => ({ ...x, fault: i }));
  });
}

const seconds = (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${v.toFixed(2)} s`);
const orDash = (v: number | null) => (v === null ? "–" : String(Number(v.toFixed(1))));

/** A fault's outcome on one line (the CLI summary, summary.md). */
export function faultOutcome(f: FaultResult): string {
  if (f.error) return `${f.kind} at ${f.atS} s could not be applied: ${f.error}`;
  return [
    `${f.kind} at ${f.atS} s${f.member ? ` (${f.member})` : ""}`,
    ...(f.roleTakenOverS !== undefined ? [`role taken over after ${seconds(f.roleTakenOverS)}`] : []),
    `first ack after ${seconds(f.firstAckAfterS)}`,
    `first consumed after ${seconds(f.firstConsumedAfterS)}`,
    ...(f.kind === "kill-member" ? [`replacement's first event after ${seconds(f.replacementFirstEventS)}`] : []),
    `acks and consumption back to ${RESUMED_SHARE * 100} % after ${seconds(f.ackedResumedS)} and ${seconds(f.consumedResumedS)}`,
    `lost/dup/ooo ${f.lost}/${f.duplicated}/${f.outOfOrder}`,
    `publish p99 ${orDash(f.publishP99Ms.before)} → ${orDash(f.publishP99Ms.peak)} ms`,
    `back after ${seconds(f.latencyRecoveredS)}`,
  ].join(", ");
}
