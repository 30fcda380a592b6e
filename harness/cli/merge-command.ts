import { resolve } from "node:path";
import { readRunResult } from "../../report/run-results.js";
import { writeReport } from "../../report/write-report.js";
import { ConfigError, ExitCode } from "../errors/errors.js";
import { checkRunId, createRunFolder } from "../result/run-folder.js";
import { mergeRuns } from "../result/run-merge.js";
import { writeResult } from "../result/result-writer.js";
import { summaryTable } from "./summary-table.js";

/** `eventbench merge DIR… --out DIR --run-id ID`: several workers' run folders into one run. */
export async function mergeCommand(dirs: readonly string[], o: { out: string; runId: string }): Promise<number> {
  checkRunId(o.runId);
  const workers = await Promise.all(dirs.map(async (d) => ({ dir: resolve(d), result: await readRunResult(resolve(d)) })));
  const merged = await mergeRuns(workers, o.runId);
  const target = resolve(o.out, o.runId);
  if (workers.some((w) => w.dir === target)) {
    throw new ConfigError("--out", `${target} is one of the workers' folders being merged: merging there would overwrite that worker's result`);
  }
  const runDir = await createRunFolder(o.out, o.runId);
  const path = await writeResult(runDir, merged);
  const report = await writeReport(runDir, merged);
  process.stdout.write(`${summaryTable(merged)}\n\n${(merged.notes ?? []).map((n) => `note: ${n}`).join("\n")}\nresult: ${path}\nreport: ${report.html}\n`);
  return merged.status === "passed" ? ExitCode.ok : ExitCode.failed;
}
