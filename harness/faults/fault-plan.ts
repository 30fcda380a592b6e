import { ConfigError } from "../errors/errors.js";
import { parseDuration } from "../scenario/duration.js";
import type { FaultScenario } from "../scenario/scenario-schema.js";

/** A fault of a scenario entry, resolved to seconds since t0 (the first event's due time). */
export type FaultPlan =
  | { readonly kind: "pause-server"; readonly atS: number; readonly forS: number }
  | { readonly kind: "restart-server"; readonly atS: number; readonly downS: number }
  /** `broker`: a member's number, or a role its service resolves when the fault starts. */
  | { readonly kind: "kill-broker"; readonly atS: number; readonly broker: number | string; readonly downS: number }
  | { readonly kind: "pause-broker"; readonly atS: number; readonly broker: number | string; readonly forS: number }
  | { readonly kind: "kill-member"; readonly atS: number; readonly group: string; readonly member: string; readonly replaceAfterS: number }
  | {
      readonly kind: "slow-network";
      readonly atS: number;
      readonly forS: number;
      readonly latencyMs: number;
      readonly jitterMs: number;
      /** KiB/s each way; null: latency only. */
      readonly bandwidthKBps: number | null;
    };

export type FaultKind = FaultPlan["kind"];

const seconds = (d: string) => parseDuration(d) as number;

/** What a fault did, in words for the timeline, the log and the report. */
export function describeFault(f: FaultPlan): string {
  switch (f.kind) {
    case "pause-server":
      return `pause the server for ${f.forS} s`;
    case "restart-server":
      return `kill the server (SIGKILL), start it again after ${f.downS} s on the same data and port`;
    case "kill-broker":
      return `kill ${typeof f.broker === "number" ? `broker ${f.broker}` : `the ${f.broker} broker`} (SIGKILL), start it again after ${f.downS} s on the same data and ports`;
    case "pause-broker":
      return `pause ${typeof f.broker === "number" ? `broker ${f.broker}` : `the ${f.broker} broker`} (SIGSTOP) for ${f.forS} s`;
    case "kill-member":
      return `kill ${f.group}/${f.member}, start a replacement after ${f.replaceAfterS} s`;
    case "slow-network":
      return `add ${f.latencyMs} ms${f.jitterMs ? ` ± ${f.jitterMs} ms` : ""} latency${f.bandwidthKBps ? `, ${f.bandwidthKBps} KiB/s` : ""} between harness and server for ${f.forS} s`;
  }
}

/**
 * Resolves and checks an entry's faults against its shape: each must fall inside the produced
 * time, a member must exist, and faults of one entry must not overlap (each gets its own window
 * in the result, so what it lost or duplicated is its own).
 */
export function resolveFaults(
  faults: readonly FaultScenario[] | undefined,
  entry: { readonly totalS: number; readonly consumerGroups: number; readonly consumersPerGroup: number },
  at: (field: string) => string,
): FaultPlan[] {
  const out: FaultPlan[] = [];
  let previousEnd = -Infinity;
  (faults ?? []).forEach((f, i) => {
    const where = (field: string) => at(`faults.${i}.${field}`);
    const atS = seconds(f.at);
    if (!(atS > 0 && atS < entry.totalS)) throw new ConfigError(where("at"), `expected a time inside the entry's ${entry.totalS} s of load (warm-up + duration), got ${f.at}`);
    if (atS < previousEnd) throw new ConfigError(where("at"), `starts before the previous fault is over (at ${previousEnd} s); faults of one entry must not overlap`);
    let plan: FaultPlan;
    switch (f.kind) {
      case "pause-server":
        plan = { kind: f.kind, atS, forS: seconds(f.for) };
        break;
      case "restart-server":
        plan = { kind: f.kind, atS, downS: seconds(f.down) };
        break;
      case "kill-broker":
        plan = { kind: f.kind, atS, broker: f.broker, downS: seconds(f.down) };
        break;
      case "pause-broker":
        plan = { kind: f.kind, atS, broker: f.broker, forS: seconds(f.for) };
        break;
      case "kill-member": {
        const groupIndex = Number(/^group-(\d+)$/.exec(f.group)?.[1]);
        const memberIndex = Number(/^member-(\d+)$/.exec(f.member)?.[1]);
        if (!(groupIndex >= 1 && groupIndex <= entry.consumerGroups)) {
          throw new ConfigError(where("group"), `expected one of the entry's groups group-1 … group-${entry.consumerGroups}, got "${f.group}"`);
        }
        if (!(memberIndex >= 1 && memberIndex <= entry.consumersPerGroup)) {
          throw new ConfigError(where("member"), `expected one of member-1 … member-${entry.consumersPerGroup}, got "${f.member}"`);
        }
        plan = { kind: f.kind, atS, group: f.group, member: f.member, replaceAfterS: seconds(f.replaceAfter) };
        break;
      }
      case "slow-network":
        plan = { kind: f.kind, atS, forS: seconds(f.for), latencyMs: f.latencyMs, jitterMs: f.jitterMs, bandwidthKBps: f.bandwidthKBps ?? null };
        break;
    }
    previousEnd = atS + faultLengthS(plan);
    out.push(plan);
  });
  return out;
}

/** How long the disruption itself lasts (the recovery after it is measured, not planned). */
export function faultLengthS(f: FaultPlan): number {
  switch (f.kind) {
    case "pause-server":
    case "pause-broker":
    case "slow-network":
      return f.forS;
    case "restart-server":
    case "kill-broker":
      return f.downS;
    case "kill-member":
      return f.replaceAfterS;
  }
}
