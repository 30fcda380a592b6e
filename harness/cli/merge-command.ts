import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { readRunResult } from "../../report/run-results.js";
import { writeReport } from "../../report/write-report.js";
import { ConfigError, ExitCode } from "../errors/errors.js";
import { mergeRuns } from "../result/run-merge.js";
import { writeResult } from "../result/result-writer.js";
import { summaryTable } from "./summary-table.js";

/** `eventbench merge DIR… --out DIR --run-id ID`: several workers' run folders into one run. */
export async function mergeCommand(dirs: readonly string[], o: { out: string; runId: string }): Promise<number> {
  if (!/^[A-Za-z0-9_.-]+$/.test(o.runId)) throw new ConfigError("--run-id", "use letters, digits, _ . - only");
  const workers = await Promise.all(dirs.map(async (d) => ({ dir: resolve(d), result: await readRunResult(resolve(d)) })));
  const merged = await mergeRuns(workers, o.runId);
  const runDir = resolve(o.out, o.runId);
  await mkdir(runDir, { recursive: true });
  const path = await writeResult(runDir, merged);
  const report = await writeReport(runDir, merged);
  process.stdout.write(`${summaryTable(merged)}\n\n${(merged.notes ?? []).map((n) => `note: ${n}`).join("\n")}\nresult: ${path}\nreport: ${report.html}\n`);
  return merged.status === "passed" ? ExitCode.ok : ExitCode.failed;
}
