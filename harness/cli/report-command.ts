import Table from "cli-table3";
import { resolve } from "node:path";
import { readRunResult, readRunSet } from "../../report/run-results.js";
import { compareRuns, comparisonSettingsOf, type RunComparison } from "../../report/run-comparison.js";
import { writeReport } from "../../report/write-report.js";
import { formatNumber } from "../../report/report-model.js";
import { ExitCode } from "../errors/errors.js";

export interface ReportCommandOptions {
  readonly baseline?: string;
  readonly tolerance?: number;
}

/** `eventbench report DIR [--baseline BASE]`: (re)writes report.html, summary.md, junit.xml. */
export async function reportCommand(dir: string, o: ReportCommandOptions): Promise<number> {
  const runDir = resolve(dir);
  const result = await readRunResult(runDir);
  const baseline = o.baseline ? await readRunSet(resolve(o.baseline)) : undefined;
  const written = await writeReport(runDir, result, { ...(baseline ? { baseline } : {}), ...(o.tolerance !== undefined ? { tolerance: o.tolerance } : {}) });
  process.stdout.write(`report: ${written.html}\nsummary: ${written.summary}\njunit: ${written.junit}\n`);
  if (written.comparison) {
    process.stdout.write(`${comparisonTable(written.comparison)}\n`);
    return written.comparison.regressions > 0 ? ExitCode.failed : ExitCode.ok;
  }
  return ExitCode.ok;
}

/** `eventbench compare BASE NEW`: per-metric deltas; exit 1 on a regression beyond tolerance. */
export async function compareCommand(base: string, next: string, o: { tolerance?: number; alpha?: number }): Promise<number> {
  const baseRuns = await readRunSet(resolve(base));
  const newRuns = await readRunSet(resolve(next));
  const comparison = compareRuns(baseRuns, newRuns, comparisonSettingsOf(newRuns[0] as (typeof newRuns)[number], o));
  process.stdout.write(`${comparisonTable(comparison)}\n`);
  if (comparison.entries.length === 0) {
    // No regression found because nothing was compared is not a pass.
    process.stderr.write("compare: the two runs have no entry (adapter and scenario) in common: nothing was compared\n");
    return ExitCode.failed;
  }
  return comparison.regressions > 0 ? ExitCode.failed : ExitCode.ok;
}

export function comparisonTable(c: RunComparison): string {
  const table = new Table({ head: ["adapter / scenario", "metric", "baseline", "new", "change", "noise band", "p", "samples", "verdict"], style: { head: [], border: [] } });
  for (const e of c.entries) {
    for (const m of e.metrics) {
      table.push([
        `${e.adapter} / ${e.scenario}`,
        `${m.metric} (${m.unit})`,
        m.baseMedian === null ? "n/a" : formatNumber(m.baseMedian),
        m.newMedian === null ? "n/a" : formatNumber(m.newMedian),
        m.change === null ? "n/a" : `${m.change > 0 ? "+" : ""}${formatNumber(m.change * 100)}%`,
        m.noiseBand === null ? "–" : `±${formatNumber(m.noiseBand * 100)}%`,
        m.pValue === null ? "n/a" : m.pValue.toPrecision(2),
        `${m.samples.base}/${m.samples.new}`,
        m.verdict,
      ]);
    }
  }
  const lines = [
    `baseline ${c.baseRuns.join(", ")} → new ${c.newRuns.join(", ")}: per-second values, tolerance ${formatNumber(c.settings.tolerance * 100)}% (or the baseline runs' noise band if larger), latency moves above ${c.settings.minDeltaMs} ms, alpha ${c.settings.alpha}`,
    table.toString(),
    ...(c.caveat ? [`note: ${c.caveat}`] : []),
    ...c.unmatched.map((u) => `not compared: ${u.adapter} / ${u.scenario} is only in the ${u.side === "base" ? "baseline" : "new run"}`),
    `${c.regressions} regression(s)`,
  ];
  return lines.join("\n");
}
