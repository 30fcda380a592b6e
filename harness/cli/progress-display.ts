import logUpdate from "log-update";
import type { TimeseriesPoint } from "../result/result-schema.js";
import type { WorkloadPlan } from "../scenario/run-plan.js";

const ms = (v: number | null) => (v === null ? "–" : v < 10 ? v.toFixed(2) : v.toFixed(1));
const count = (v: number | null) => (v === null ? "–" : v >= 10_000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0));

export function progressLine(adapter: string, plan: WorkloadPlan, p: TimeseriesPoint): string {
  const total = plan.warmupS + plan.durationS;
  const clock = p.phase === "drain" ? "drain" : `${Math.min(p.t, total).toFixed(0)}/${total.toFixed(0)}s${p.phase === "warmup" ? " warm-up" : ""}`;
  const target = p.targetRate > 0 ? ` (target ${count(p.targetRate)})` : "";
  return (
    `${adapter} ${plan.name} ${clock}  rate ${count(p.acked)}/s${target}  ` +
    `publish p99 ${ms(p.publishP99)} ms  e2e p99 ${ms(p.e2eP99)} ms  ` +
    `lag ${count(p.lagEvents)} ev / ${ms(p.lagMs)} ms${p.errors ? `  errors ${p.errors}` : ""}` +
    (p.rssMiB !== undefined ? `  rss ${p.rssMiB.toFixed(0)} MiB` : "")
  );
}

/**
 * The live view: one line rewritten every second on a terminal; on anything else (CI logs, pipes)
 * a plain line every `plainEverySeconds`, so logs stay readable.
 */
export class ProgressDisplay {
  private lastPlain = -Infinity;

  constructor(
    private readonly interactive: boolean,
    private readonly plainEverySeconds = 5,
  ) {}

  update(adapter: string, plan: WorkloadPlan, point: TimeseriesPoint): void {
    const line = progressLine(adapter, plan, point);
    if (this.interactive) {
      logUpdate(line);
    } else if (point.t - this.lastPlain >= this.plainEverySeconds || point.phase === "drain") {
      this.lastPlain = point.t;
      process.stdout.write(`${line}\n`);
    }
  }

  /** Leaves the current line on screen and starts a fresh one. */
  done(): void {
    if (this.interactive) logUpdate.done();
    this.lastPlain = -Infinity;
  }

  /** Prints a note above the live line without garbling it. */
  note(message: string): void {
    if (this.interactive) logUpdate.clear();
    process.stderr.write(`${message}\n`);
  }
}
