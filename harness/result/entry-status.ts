import type { RunEntryResult, RunResult } from "./result-schema.js";

type TargetHeld = NonNullable<RunEntryResult["targetHeld"]>;

/**
 * Whether an open-loop entry kept up with the rate it was asked for. Null where the question does
 * not apply: closed loop (no target), nothing scheduled, or a workload that probes capacity.
 */
export function judgeTargetHeld(
  entry: Pick<RunEntryResult, "mode" | "throughput">,
  policy: { readonly share: number; readonly gate: boolean },
  probesCapacity: boolean,
): TargetHeld | null {
  if (entry.mode !== "open-loop" || probesCapacity || entry.throughput.target <= 0) return null;
  const share = Math.round((entry.throughput.acked / entry.throughput.target) * 1e4) / 1e4;
  return { share, required: policy.share, held: share >= policy.share, gate: policy.gate };
}

/** An entry's status: an error, an interruption and a failed check come before an unheld target. */
export function entryStatus(o: { readonly error: boolean; readonly incomplete: boolean; readonly failed: boolean; readonly targetHeld: TargetHeld | null | undefined }): RunEntryResult["status"] {
  if (o.error) return "error";
  if (o.incomplete) return "incomplete";
  if (o.failed) return "failed";
  if (o.targetHeld && !o.targetHeld.held) return "target-not-held";
  return "passed";
}

/** The run's status: an unheld target fails it only where the scenario gates on it. */
export function runStatus(entries: readonly RunEntryResult[], interrupted: boolean): RunResult["status"] {
  if (interrupted) return "incomplete";
  // Nothing measured is never a pass.
  if (entries.length === 0) return "error";
  if (entries.some((e) => e.status === "error")) return "error";
  if (entries.some((e) => e.status === "failed" || e.status === "incomplete")) return "failed";
  if (entries.some((e) => e.status === "target-not-held" && e.targetHeld?.gate)) return "failed";
  return "passed";
}

/** "acknowledged 27 of the 300 events/s asked (9 %; holding it takes 95 %)": for summaries and reports. */
export function targetNotHeldText(e: Pick<RunEntryResult, "throughput" | "targetHeld">): string | null {
  const t = e.targetHeld;
  if (!t || t.held) return null;
  const pct = (x: number) => `${Number((x * 100).toFixed(1))} %`;
  const rate = (x: number) => Number(x.toFixed(x >= 100 ? 0 : 1)).toLocaleString("en-US");
  return `target not held: acknowledged ${rate(e.throughput.acked)} of the ${rate(e.throughput.target)} events/s asked (${pct(t.share)}; holding it takes ${pct(t.required)})${t.gate ? "" : ", not gated by the scenario"}`;
}
