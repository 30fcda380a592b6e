import { adapterNames } from "../../adapters/registry.js";
import { describeFault } from "../faults/fault-plan.js";
import type { WorkloadPlan } from "../scenario/run-plan.js";
import type { ResolvedRun } from "./plan-options.js";

const rate = (perSecond: number) => `${Math.round(perSecond * 100) / 100}/s`;

/** How an entry's load runs over time: its rate, steps or backlog, its warm-up and measured time. */
function loadLines(w: WorkloadPlan): string[] {
  const time = `warm-up ${w.warmupS} s, measured ${Math.round(w.durationS * 1000) / 1000} s`;
  if (w.mode === "closed-loop") return [`closed loop: ${w.vus} VU(s), each waiting for its acknowledgement; ${time}`];
  const lines: string[] = [];
  if (w.maxThroughput) {
    const steps = w.maxThroughput.steps;
    const stepS = steps[0] ? steps[0].endS - steps[0].startS : 0;
    lines.push(`max-throughput search: ${steps.length} step(s) of ${stepS} s, ${steps.map((s) => rate(s.rate)).join(" → ")}; ${time}`);
    const l = w.maxThroughput.limits;
    const limits = [l.publishP99Ms !== null ? `publish p99 > ${l.publishP99Ms} ms` : null, l.e2eP99Ms !== null ? `e2e p99 > ${l.e2eP99Ms} ms` : null, `acked < ${l.minAchieved} × target`, `lag growth > ${l.maxLagGrowth}`, `errors > ${l.maxErrorRate}`];
    lines.push(`a step breaks on: ${limits.filter(Boolean).join(", ")}`);
  } else if (w.backlogDrain) {
    lines.push(`backlog-drain: ${w.backlogDrain.backlog} events produced at ${rate(w.targetRate)} with the consumers stopped (${time}), then drained`);
  } else if (w.executor === "ramping-arrival-rate") {
    lines.push(`ramp: ${w.stages.map((s) => `${rate(s.from)} → ${rate(s.to)} over ${s.durationS} s`).join(", ")} (warm-up stage first); ${time}`);
  } else {
    lines.push(`open loop at ${rate(w.targetRate)}; ${time}`);
  }
  return lines;
}

function entryLines(w: WorkloadPlan): string[] {
  const lines = [
    ...loadLines(w),
    `producers ${w.producers} (${w.threads.producers} thread(s)), consumer groups ${w.consumerGroups} × ${w.consumersPerGroup} member(s) (${w.threads.consumers} thread(s)), keys ${w.keys} ${w.keyDistribution.kind}`,
    `payload ${w.payloadSize} B, partitions ${w.partitions}, batch ${w.batchSize}${w.lingerMs ? ` (linger ${w.lingerMs} ms)` : ""}, appends in flight ≤ ${w.maxInFlight}, consumer batch ${w.consumerBatch}, drain timeout ${w.drainTimeoutS} s`,
  ];
  if (w.thresholds.length) lines.push(`thresholds: ${w.thresholds.map((t) => `${t.metric} ${t.expression.source}`).join(", ")}`);
  for (const f of w.faults) lines.push(`fault at ${f.atS} s: ${describeFault(f)}`);
  for (const c of w.claims) lines.push(`claim ${c.id}: ${c.claim}`);
  return lines;
}

/** `eventbench plan`: what a run with the same file and flags would do, before anything starts. */
export function planText({ plan, checked }: ResolvedRun): string {
  const out = [`plan of ${plan.scenarioFile} (scenario ${plan.scenarioName}); nothing was started`];
  if (plan.description) out.push(`description: ${plan.description}`);
  out.push(`environment: ${plan.env}`);
  const runs = [...checked.factories.keys()];
  out.push(plan.adapters ? `adapters: ${runs.join(", ") || "none"}` : `adapters: each of ${runs.join(", ")} that the environment can start (of ${adapterNames().length} known)`);
  for (const s of checked.skipped) out.push(`  left out: ${s.adapter}: ${s.reason}`);
  out.push("entries:");
  for (const w of plan.workloads) {
    out.push(`  ${w.name}: workload ${w.workload}, executor ${w.executor} (${w.mode})`);
    for (const line of entryLines(w)) out.push(`    ${line}`);
    for (const [adapter, variant] of Object.entries(w.byAdapter)) out.push(`    ${adapter} (rateScale): ${loadLines(variant).join("; ")}`);
  }
  out.push(plan.notes.length ? "notes (what a flag changed, what is not honoured and why):" : "notes: none (every field and flag is honoured as given)");
  for (const n of plan.notes) out.push(`  - ${n}`);
  return `${out.join("\n")}\n`;
}
