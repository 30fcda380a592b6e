import { formatFigure, formatNumber, type ReportModel } from "./report-model.js";
import { faultOutcome } from "../harness/faults/fault-results.js";

/**
 * summary.md: what a CI job summary shows (GitHub's `$GITHUB_STEP_SUMMARY`): the verdict, the
 * comparison table per scenario, thresholds and anything that makes the figures doubtful.
 * Markdown is not HTML-escaped by CI renderers uniformly, so every cell is made inert here.
 */

/** Keeps a cell one cell: no pipes, no newlines, no markup (angle brackets become entities, as HTML in Markdown would run). */
export function markdownCell(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

const ms = (x: number) => formatNumber(x);

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

export function renderSummaryMarkdown(m: ReportModel): string {
  const failed = m.thresholds.filter((t) => !t.passed);
  const icon = m.status === "passed" ? "✅" : "❌";
  const out: string[] = [
    `## ${icon} eventbench ${markdownCell(m.scenario.name)}: ${m.status}${m.interrupted ? " (interrupted)" : ""}`,
    "",
    `Run \`${m.runId}\`, ${m.startedAt}; ${m.environment.host.cpus} × ${markdownCell(m.environment.host.cpuModel)}, Node.js ${m.environment.host.node}, provider ${markdownCell(m.environment.provider)}. ` +
      `${m.thresholds.length - failed.length} of ${m.thresholds.length} thresholds passed.`,
    "",
  ];
  for (const e of m.errors) out.push(`> **Error** in ${markdownCell(e.adapter)} / ${markdownCell(e.scenario)}: ${markdownCell(e.text)}`, "");
  for (const t of m.targetsNotHeld) out.push(`> **Target not held** in ${markdownCell(t.adapter)} / ${markdownCell(t.scenario)}: ${markdownCell(t.text)}`, "");
  // One line per cause: nineteen banners of the same cause hid the results beneath them.
  for (const g of m.warningGroups) {
    const first = g.entries[0] as (typeof g.entries)[number];
    out.push(
      `> **Harness warning: ${markdownCell(g.cause)}** in ${g.entries.length} entr${g.entries.length === 1 ? "y" : "ies"} (${g.entries.map((w) => markdownCell(`${w.adapter} / ${w.scenario}`)).join(", ")}); ${markdownCell(first.adapter)} / ${markdownCell(first.scenario)}: ${markdownCell(first.text)}`,
      "",
    );
  }
  for (const s of m.skipped) out.push(`> Not run: ${markdownCell(s.adapter)}: ${markdownCell(s.reason)}`, "");
  for (const n of m.notes) out.push(`- ${markdownCell(n)}`);
  if (m.notes.length) out.push("");
  for (const s of m.sections) {
    out.push(`### ${markdownCell(s.scenario)} (${markdownCell(s.workload)})`, "");
    out.push(
      table(
        ["adapter", "status", "target/s", "acked/s", "publish p50 / p99 / p99.9 ms", "e2e p50 / p99 / p99.9 ms", "lag max", "lost / dup / ooo"],
        s.rows.map((r) => [
          markdownCell(r.adapter),
          r.status + (r.harnessFlagged ? " ⚠" : ""),
          r.target > 0 ? formatNumber(r.target) : "closed loop",
          formatNumber(r.acked),
          r.publish.count ? `${ms(r.publish.p50)} / ${ms(r.publish.p99)} / ${ms(r.publish.p999)}` : "–",
          r.endToEnd.count ? `${ms(r.endToEnd.p50)} / ${ms(r.endToEnd.p99)} / ${ms(r.endToEnd.p999)}` : "–",
          r.lagMaxEvents === null ? "–" : `${formatNumber(r.lagMaxEvents)} ev`,
          `${r.delivery.lost} / ${r.delivery.duplicated} / ${r.delivery.outOfOrder}`,
        ]),
      ),
      "",
    );
    for (const r of s.rows) out.push(...r.failedAppends.map((t) => `- failed appends, ${markdownCell(r.adapter)}: ${markdownCell(t)}`));
    if (s.rows.some((r) => r.failedAppends.length)) out.push("");
    if (s.faults.length) {
      out.push(...s.faults.map(({ adapter, fault }) => `- fault, ${markdownCell(adapter)}: ${markdownCell(faultOutcome(fault))}`), "");
    }
    if (s.figures.length) {
      out.push(table(["adapter", "figure", "value"], s.figures.map((f) => [markdownCell(f.adapter), markdownCell(f.figure.name), markdownCell(formatFigure(f.figure))])), "");
    }
  }
  if (failed.length) {
    out.push("### Failed thresholds", "", table(["adapter", "scenario", "metric", "threshold", "value"], failed.map((t) => [markdownCell(t.adapter), markdownCell(t.scenario), t.metric, markdownCell(t.expression), t.value === null ? "n/a" : formatNumber(t.value)])), "");
  }
  if (m.claims.length) {
    out.push("### Published claims", "", table(["claim", "adapter", "published", "measured here"], m.claims.map((c) => [markdownCell(c.name), markdownCell(c.adapter), markdownCell(c.published), markdownCell(c.measured)])), "");
  }
  const c = m.comparison;
  if (c) {
    const moved = c.entries.flatMap((e) => e.metrics.filter((x) => x.verdict === "regression" || x.verdict === "improvement").map((x) => ({ e, x })));
    out.push(
      `### Against the baseline: ${c.regressions} regression(s)`,
      "",
      `Tolerance ${formatNumber(c.settings.tolerance * 100)}% (or the baseline runs' noise band if larger), latency moves above ${c.settings.minDeltaMs} ms, rank-sum test on per-second values at p < ${c.settings.alpha}; baseline of ${c.baseRuns.length} run(s).`,
      "",
      ...(c.caveat ? [`> Note: ${markdownCell(c.caveat)}`, ""] : []),
    );
    if (moved.length) {
      out.push(
        table(
          ["adapter / scenario", "metric", "baseline", "new", "change", "verdict"],
          moved.map(({ e, x }) => [markdownCell(`${e.adapter} / ${e.scenario}`), x.metric, x.baseMedian === null ? "n/a" : formatNumber(x.baseMedian), x.newMedian === null ? "n/a" : formatNumber(x.newMedian), x.change === null ? "n/a" : `${formatNumber(x.change * 100)}%`, x.verdict]),
        ),
        "",
      );
    } else out.push("Every compared metric is within the noise.", "");
  }
  return `${out.join("\n")}\n`;
}
