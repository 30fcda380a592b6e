import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../harness/result/atomic-file.js";
import { withoutSecrets } from "../harness/environment/known-secrets.js";
import type { RunResult } from "../harness/result/result-schema.js";
import { renderHtmlReport } from "./html-report.js";
import { renderJunitXml } from "./junit-xml.js";
import { buildReportModel, intervalLogName, type IntervalLogs } from "./report-model.js";
import { compareRuns, comparisonSettingsOf, type RunComparison } from "./run-comparison.js";
import { renderSummaryMarkdown } from "./summary-markdown.js";

export interface WrittenReport {
  readonly html: string;
  readonly summary: string;
  readonly junit: string;
  readonly comparison: RunComparison | null;
}

export interface ReportOptions {
  /** Runs to compare with: one, or repeated runs. */
  readonly baseline?: readonly RunResult[];
  /** Repeated runs of the new side that `result` is the last of (default: `result` alone). */
  readonly repeats?: readonly RunResult[];
  readonly tolerance?: number;
  readonly alpha?: number;
}

/** The entries' interval logs that are in the run folder (a merged or copied result may have none). */
async function intervalLogs(dir: string, result: RunResult): Promise<IntervalLogs> {
  const logs = new Map<string, string>();
  for (const e of result.runs) {
    const name = intervalLogName(e);
    const text = await readFile(join(dir, `${name}.hlog`), "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (text !== null) logs.set(name, text);
  }
  return logs;
}

/**
 * Writes report.html, summary.md and junit.xml into `dir`. With a baseline, the comparison uses
 * the tolerance and significance the new run's scenario set (`regression:`), unless overridden.
 */
export async function writeReport(dir: string, unscrubbed: RunResult, o: ReportOptions = {}): Promise<WrittenReport> {
  // Scrubbed as data: once escaped for HTML or XML a secret takes forms the file writer would miss.
  const result = withoutSecrets(unscrubbed);
  const settings = comparisonSettingsOf(result, o);
  const comparison = o.baseline ? compareRuns(withoutSecrets(o.baseline), o.repeats ? withoutSecrets(o.repeats) : [result], settings) : null;
  const model = buildReportModel(result, comparison, await intervalLogs(dir, result));
  const paths = { html: join(dir, "report.html"), summary: join(dir, "summary.md"), junit: join(dir, "junit.xml") };
  await writeFileAtomic(paths.html, renderHtmlReport(model));
  await writeFileAtomic(paths.summary, renderSummaryMarkdown(model));
  await writeFileAtomic(paths.junit, renderJunitXml(result, comparison));
  return { ...paths, comparison };
}
