import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult } from "../harness/result/result-schema.js";
import { renderHtmlReport } from "./html-report.js";
import { renderJunitXml } from "./junit-xml.js";
import { buildReportModel } from "./report-model.js";
import { compareRuns, type RunComparison } from "./run-comparison.js";
import { renderSummaryMarkdown } from "./summary-markdown.js";

export interface WrittenReport {
  readonly html: string;
  readonly summary: string;
  readonly junit: string;
  readonly comparison: RunComparison | null;
}

/**
 * Writes report.html, summary.md and junit.xml next to result.json. With a baseline, the
 * comparison uses the tolerance the new run's scenario set (`regression:`), unless overridden.
 */
export async function writeReport(runDir: string, result: RunResult, baseline?: readonly RunResult[], tolerance?: number): Promise<WrittenReport> {
  const settings = { ...result.scenario.regression, ...(tolerance !== undefined ? { tolerance } : {}) };
  const comparison = baseline ? compareRuns(baseline, [result], settings) : null;
  const model = buildReportModel(result, comparison);
  const paths = { html: join(runDir, "report.html"), summary: join(runDir, "summary.md"), junit: join(runDir, "junit.xml") };
  await writeFile(paths.html, renderHtmlReport(model));
  await writeFile(paths.summary, renderSummaryMarkdown(model));
  await writeFile(paths.junit, renderJunitXml(result, comparison));
  return { ...paths, comparison };
}
