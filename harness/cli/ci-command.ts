import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readRunSet } from "../../report/run-results.js";
import { writeReport } from "../../report/write-report.js";
import { ExitCode } from "../errors/errors.js";
import { writeFileAtomic } from "../result/atomic-file.js";
import { checkRunId, createRunFolder } from "../result/run-folder.js";
import type { RunResult } from "../result/result-schema.js";
import { newRunId, performRun, type RunCommandOptions } from "./run-command.js";
import { comparisonTable } from "./report-command.js";

export const CI_SCENARIO = fileURLToPath(new URL("../../../scenarios/ci.yaml", import.meta.url));

export interface CiCommandOptions extends Omit<RunCommandOptions, "metricsPort"> {
  /** A run folder, a folder of repeated runs, or a baseline file (result.json or an array of them). */
  readonly baseline?: string;
  readonly repeat: number;
  readonly tolerance?: number;
  /** Write this run (or its repeats) as the new baseline file. */
  readonly updateBaseline?: string;
}

/**
 * `eventbench ci`: what a scheduled job runs. The `ci` scenario (or another), `repeat` times so
 * the comparison can use run-to-run variance, then the comparison with the baseline, with
 * report.html, summary.md and junit.xml in the run folder. Exit 1 on a failed threshold, a failed
 * delivery check, an interrupted run or a regression beyond tolerance.
 */
export async function ciCommand(o: CiCommandOptions): Promise<number> {
  const baselinePath = o.baseline ? resolve(o.baseline) : undefined;
  // A missing baseline is the first scheduled run, not an error: it is said, and thresholds still gate.
  const baseline = baselinePath && existsSync(baselinePath) ? await readRunSet(baselinePath) : undefined;
  if (baselinePath && !baseline) process.stderr.write(`no baseline at ${baselinePath} yet: judging by the scenario's thresholds only\n`);
  const runId = checkRunId(o.runId ?? newRunId());
  // Repeats go into one folder the ci run owns; a single run is that folder.
  const topDir = o.repeat > 1 ? await createRunFolder(o.out, runId) : resolve(o.out, runId);

  const runs: RunResult[] = [];
  for (let i = 1; i <= o.repeat; i++) {
    const performed = await performRun({
      ...o,
      scenario: o.scenario ?? CI_SCENARIO,
      ...(o.repeat > 1 ? { out: topDir, runId: `run-${i}` } : { runId }),
    });
    runs.push(performed.result);
    if (performed.interrupted) break;
  }
  const last = runs.at(-1) as RunResult;
  const written = await writeReport(topDir, last, {
    ...(baseline ? { baseline } : {}),
    repeats: runs,
    ...(o.tolerance !== undefined ? { tolerance: o.tolerance } : {}),
  });
  if (written.comparison) process.stdout.write(`\n${comparisonTable(written.comparison)}\n`);
  process.stdout.write(`\nreport: ${written.html}\nsummary: ${written.summary}\njunit: ${written.junit}\n`);

  if (o.updateBaseline) {
    const path = resolve(o.updateBaseline);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(runs.length === 1 ? last : runs, null, 1)}\n`);
    process.stdout.write(`baseline written: ${path} (${runs.length} run${runs.length > 1 ? "s" : ""})\n`);
  }
  const failed = runs.some((r) => r.status !== "passed");
  const regressed = (written.comparison?.regressions ?? 0) > 0;
  if (failed) process.stdout.write(`ci: FAILED — a threshold, the delivery check or the run itself failed (see ${join(topDir, "summary.md")})\n`);
  if (regressed) process.stdout.write(`ci: FAILED — ${written.comparison?.regressions} regression(s) against the baseline\n`);
  return failed || regressed ? ExitCode.failed : ExitCode.ok;
}
