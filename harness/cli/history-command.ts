import { mkdir } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { writeFileAtomic } from "../result/atomic-file.js";
import { ExitCode } from "../errors/errors.js";
import { DEFAULT_HISTORY_METRICS } from "../../report/history-metrics.js";
import { renderHistoryHtml } from "../../report/history-html.js";
import { readRunSet } from "../../report/run-results.js";
import { buildHistory, chosenMetrics, readRunHistory } from "../../report/run-history.js";

export interface HistoryCommandOptions {
  readonly metric?: readonly string[];
  readonly baseline?: string;
  /** Default: history.html in the folder that holds every run folder found. */
  readonly out?: string;
  readonly tolerance?: number;
  readonly alpha?: number;
}

/** `eventbench history DIR…`: one page plotting the chosen metrics across the runs found. */
export async function historyCommand(dirs: readonly string[], o: HistoryCommandOptions): Promise<number> {
  const metrics = chosenMetrics(o.metric?.length ? o.metric : DEFAULT_HISTORY_METRICS);
  const runs = await readRunHistory(dirs);
  const baseline = o.baseline ? { path: o.baseline, runs: await readRunSet(resolve(o.baseline)) } : undefined;
  const model = buildHistory(runs, { metrics, ...(baseline ? { baseline } : {}), tolerance: o.tolerance, alpha: o.alpha });
  const page = o.out ? resolve(o.out) : join(commonFolder(runs.map((r) => dirname(r.dir))), "history.html");
  await mkdir(dirname(page), { recursive: true });
  await writeFileAtomic(page, renderHistoryHtml(model, page));
  const regressions = model.runs.reduce((n, r) => n + r.regressions.length, 0);
  const series = new Set(model.charts.flatMap((c) => c.series.map((s) => s.name))).size;
  process.stdout.write(
    `history: ${page}\n${runs.length} run(s), ${series} adapter / scenario series, metrics ${metrics.map((m) => m.name).join(", ")}; ${baseline ? `${regressions} regression(s) against ${o.baseline}` : "no baseline: regressions not judged"}\n`,
  );
  return ExitCode.ok;
}

/** The deepest folder that holds all of `folders`. */
function commonFolder(folders: readonly string[]): string {
  const split = folders.map((f) => f.split(sep));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((parts) => parts[n] === first[n])) n++;
  return first.slice(0, n).join(sep) || sep;
}
