import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { LatencySummaryJson } from "../harness/result/result-schema.js";
import { formatFigure, formatNumber, TIMELINE_AXIS, type ComparisonRow, type ReportModel, type ScenarioSection } from "./report-model.js";
import type { RunComparison } from "./run-comparison.js";
import { PAGE_STYLE, SERIES_COLOURS } from "./page-style.js";
import { html, jsonForScript, trusted, type SafeHtml } from "./safe-html.js";

/**
 * report.html: one self-contained file. Tables are static HTML (readable without scripts, and
 * printable); the charts are drawn by uPlot from the model's chart specs, with the library, its
 * stylesheet and the data inline so the file opens from disk with no network.
 */

const require = createRequire(import.meta.url);
const asset = (path: string) => readFileSync(path, "utf8");
const UPLOT_JS = () => asset(require.resolve("uplot/dist/uPlot.iife.min.js"));
const UPLOT_CSS = () => asset(require.resolve("uplot/dist/uPlot.min.css"));
const CHARTS_JS = () => asset(fileURLToPath(new URL("../../report/browser/report-charts.js", import.meta.url)));

const STYLE = `
.verdict { border-radius: 6px; padding: 12px 16px; margin: 12px 0; border: 2px solid; }
.verdict.passed { border-color: var(--ok); background: var(--ok-bg); } .verdict.failed, .verdict.error, .verdict.incomplete { border-color: var(--bad); background: var(--bad-bg); }
.verdict .status { font-weight: 700; font-size: 18px; text-transform: uppercase; }
.verdict .counts { margin-left: 12px; } .verdict a { color: inherit; }
.count.bad { color: var(--bad); font-weight: 700; } .count.warn { color: var(--warn); font-weight: 700; } .count.none { color: var(--muted); }
.run-line { margin: 0; }
table.matrix { border-collapse: separate; border-spacing: 3px; margin: 4px 0; }
table.matrix th { background: none; border: none; vertical-align: middle; }
table.matrix td.cell { text-align: left; padding: 0; border: none; border-left: 5px solid var(--state); background: var(--state-bg); min-width: 150px; }
td.cell a { display: block; padding: 3px 8px; color: inherit; text-decoration: none; } td.cell a:hover { outline: 1px solid var(--muted); }
td.cell span.state { font-weight: 700; } td.cell > a > span, td.cell > span { display: block; white-space: nowrap; }
td.cell hr { border: none; border-top: 1px dashed var(--muted); margin: 2px 0; }
.st-passed { --state: var(--ok); --state-bg: var(--ok-bg); }
.st-target-not-held { --state: var(--held); --state-bg: var(--held-bg); }
.st-failed, .st-error { --state: var(--bad); --state-bg: var(--bad-bg); }
.st-error { --state-bg: var(--error-bg); }
.st-incomplete { --state: var(--incomplete); --state-bg: var(--incomplete-bg); }
.st-not-run { --state: var(--not-run); --state-bg: var(--not-run-bg); }
.chip { border-left: 5px solid var(--state); background: var(--state-bg); padding: 0 6px; white-space: nowrap; color: var(--fg); } .flag { color: var(--warn); font-weight: 700; }
.legend { margin: 2px 0 10px; font-size: 12px; }
details.warning-group { margin: 2px 0; } details.warning-group summary { cursor: pointer; }
details > summary { cursor: pointer; }
.settings { color: var(--muted); margin: 0 0 6px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px 20px; }
figure { margin: 0; break-inside: avoid; } figcaption { font-weight: 600; margin: 4px 0; }
.chart { width: 100%; min-height: 300px; } canvas.heatmap { display: block; width: 100%; height: 300px; }
/* On paper: one chart a row, the folded lists open (the script opens them before printing), no interactive legends: the lines are named at their ends. */
@media print { .charts { grid-template-columns: 1fr; } .u-legend { display: none; } }
`;

const ms = (x: number) => formatNumber(x);
const num = (x: number | null) => (x === null ? "n/a" : formatNumber(x));

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** A count in the verdict: a link to where its items are listed, or plain text when there are none. */
function verdictCount(n: number, anchor: string, one: string, many: string, severity: "bad" | "warn"): SafeHtml {
  return n > 0 ? html`<a class="count ${severity}" href="#${anchor}">${plural(n, one, many)}</a>` : html`<span class="count none">${plural(n, one, many)}</span>`;
}

/** The first lines: the verdict and what it rests on, each count linking to its items below. */
function verdictHeader(m: ReportModel): SafeHtml {
  const failed = m.thresholds.filter((t) => !t.passed).length;
  const gated = m.targetsNotHeld.filter((t) => t.gate).length;
  const host = m.environment.host;
  return html`
<header>
  <h1>${m.title}</h1>
  <p class="run-line muted">run ${m.runId}, ${m.startedAt} → ${m.finishedAt}; ${host.cpus} × ${host.cpuModel}; provider ${m.environment.provider} <a href="#environment">(servers, clients, host)</a></p>
  <div class="verdict ${m.status}">
    <span class="status">${m.status}</span>${m.interrupted ? " (interrupted: what was measured until then)" : ""}
    <span class="counts">
      ${m.errors.length ? html`${verdictCount(m.errors.length, "errors", "error", "errors", "bad")} · ` : ""}
      ${verdictCount(failed, "failed-thresholds", "failed threshold", "failed thresholds", "bad")} <span class="muted">(<a href="#thresholds">${m.thresholds.length - failed} of ${m.thresholds.length} passed</a>)</span> ·
      ${verdictCount(m.targetsNotHeld.length, "targets-not-held", "target not held", "targets not held", gated ? "bad" : "warn")}${m.targetsNotHeld.length && !gated ? html` <span class="muted">(not gated)</span>` : ""} ·
      ${verdictCount(m.warnings.length, "harness-warnings", "harness warning", "harness warnings", "warn")}${m.warningGroups.length ? html` <span class="muted">(${plural(m.warningGroups.length, "cause", "causes")})</span>` : ""} ·
      ${verdictCount(m.skipped.length, "skipped", "skipped entry", "skipped entries", "warn")}
    </span>
  </div>
</header>`;
}

const STATE_LABEL: Record<ComparisonRow["status"], string> = {
  passed: "passed",
  "target-not-held": "target not held",
  failed: "failed",
  incomplete: "incomplete",
  error: "error",
};
/** Mildest first: a cell holding several entries takes the colour of its worst. */
const STATE_ORDER = Object.keys(STATE_LABEL) as ComparisonRow["status"][];

const countText = (n: number, what: string) => html`<span class="${n > 0 ? "fail" : ""}">${n.toLocaleString("en-US")} ${what}</span>`;

/** One entry in the matrix: its state, the rate it achieved against its target, its e2e p99 and what delivery lost. */
function matrixEntry(r: ComparisonRow): SafeHtml {
  const rate =
    r.target > 0
      ? html`${formatNumber(r.acked)} / ${formatNumber(r.target)} /s${r.achievedRatio !== null ? html` <span class="muted">(${formatNumber(r.achievedRatio * 100)} %)</span>` : ""}`
      : html`${formatNumber(r.acked)} /s <span class="muted">closed loop</span>`;
  return html`<span class="state">${STATE_LABEL[r.status]}${r.harnessFlagged ? html` <span class="flag" title="harness warning">⚠</span>` : ""}</span>
    <span>${rate}</span>
    <span>${r.endToEnd.count === 0 ? html`<span class="muted">no end-to-end latency</span>` : html`e2e p99 ${ms(r.endToEnd.p99)} ms`}</span>
    <span>${countText(r.delivery.lost, "lost")} · ${countText(r.delivery.duplicated, "dup.")} · ${countText(r.delivery.outOfOrder, "out of order")}</span>`;
}

function matrixCell(rows: readonly ComparisonRow[], anchor: string, skipped: boolean): SafeHtml {
  if (rows.length === 0) {
    return skipped ? html`<td class="cell st-not-run"><a href="#skipped"><span class="state">not run</span><span class="muted">see skipped entries</span></a></td>` : html`<td class="cell st-not-run"><span class="state muted">–</span></td>`;
  }
  // An adapter with several entries of one scenario (a merge of workers) shows each.
  const worst = rows.map((r) => r.status).reduce((a, b) => (STATE_ORDER.indexOf(b) > STATE_ORDER.indexOf(a) ? b : a));
  return html`<td class="cell st-${worst}"><a href="#${anchor}">${rows.map((r, i) => html`${i > 0 ? html`<hr>` : ""}${matrixEntry(r)}`)}</a></td>`;
}

/** "Which system, at what cost": every adapter × scenario entry, before any scrolling. */
function entryMatrix(m: ReportModel): SafeHtml {
  if (m.matrix.rows.length === 0) return html`<p class="muted">No entry ran.</p>`;
  const skippedAdapters = new Set(m.skipped.map((s) => s.adapter));
  return html`<div class="scroll"><table class="matrix" id="matrix">
  <tr><th class="text">scenario</th>${m.matrix.adapters.map((a) => html`<th class="text">${a}</th>`)}</tr>
  ${m.matrix.rows.map(
    (row) => html`<tr><th class="text"><a href="#${row.anchor}">${row.scenario}</a></th>${row.cells.map((cell, i) => matrixCell(cell, row.anchor, skippedAdapters.has(m.matrix.adapters[i] as string)))}</tr>`,
  )}
</table></div>
<p class="legend muted">Each cell: state, acknowledged / target events/s, end-to-end p99, lost · duplicated · out of order; it links to its scenario's details. ${STATE_ORDER.map((st) => html`<span class="chip st-${st}">${STATE_LABEL[st]}</span> `)}<span class="chip st-not-run">not run</span> <span class="flag">⚠</span> harness warning.</p>`;
}

/** What the verdict's counts point to: errors, unheld targets, harness warnings by cause, skipped entries. */
function findings(m: ReportModel): SafeHtml {
  return html`
  ${m.errors.length ? html`<div id="errors">${m.errors.map((e) => html`<div class="alert"><strong>Error</strong> in ${e.adapter} / ${e.scenario}: ${e.text}</div>`)}</div>` : ""}
  ${
    m.targetsNotHeld.length
      ? html`<h3 id="targets-not-held">Targets not held</h3><ul>${m.targetsNotHeld.map((t) => html`<li class="${t.gate ? "fail" : ""}"><strong>${t.adapter} / ${t.scenario}</strong>: ${t.text}</li>`)}</ul>`
      : ""
  }
  ${
    m.warningGroups.length
      ? html`<h3 id="harness-warnings">Harness warnings <span class="muted">— the figures of these entries may measure eventbench, not the system</span></h3>
  ${m.warningGroups.map(
    (g) => html`<details class="warning-group"><summary><strong>${g.cause}</strong> — ${plural(g.entries.length, "entry", "entries")}: ${g.entries.map((w) => `${w.adapter} / ${w.scenario}`).join(", ")}</summary>
    <ul>${g.entries.map((w) => html`<li>${w.adapter} / ${w.scenario}: ${w.text}</li>`)}</ul></details>`,
  )}`
      : ""
  }
  ${m.skipped.length ? html`<h3 id="skipped">Skipped entries</h3><ul>${m.skipped.map((s) => html`<li><strong>${s.adapter}</strong>: ${s.reason}</li>`)}</ul>` : ""}
  ${m.notes.length ? html`<ul class="muted">${m.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}`;
}

function environmentTable(m: ReportModel): SafeHtml {
  const host = m.environment.host;
  return html`<h2 id="environment">Run and environment</h2>
  <table>
    <tr><th class="text">scenario</th><td class="text">${m.scenario.name} <span class="muted">(${m.scenario.file})</span></td></tr>
    <tr><th class="text">run</th><td class="text">${m.runId}, ${m.startedAt} → ${m.finishedAt}</td></tr>
    <tr><th class="text">host</th><td class="text">${host.hostname}: ${host.cpus} × ${host.cpuModel}, ${host.memoryGiB} GiB, ${host.platform}/${host.arch}, Node.js ${host.node}, eventbench ${m.environment.eventbench}</td></tr>
    <tr><th class="text">environment</th><td class="text">provider ${m.environment.provider}; clock: ${m.environment.clock}</td></tr>
    ${m.environment.services.map((s) => html`<tr><th class="text">server</th><td class="text">${s.kind} ${s.version} (${s.provider}) at ${s.endpoint}</td></tr>`)}
    ${m.systems.map((s) => html`<tr><th class="text">adapter</th><td class="text">${s.adapter}: ${s.server}, client ${s.client}${s.unmaintained ? html` <strong class="unmaintained">(unmaintained: ${s.unmaintained})</strong>` : ""}, ${s.endpoint} (${s.provider})</td></tr>`)}
  </table>`;
}

function thresholdRows(rows: ReportModel["thresholds"]): SafeHtml {
  return html`<table>
  <tr><th class="text">adapter</th><th class="text">scenario</th><th class="text">metric</th><th class="text">threshold</th><th>value</th><th class="text">verdict</th></tr>
  ${rows.map(
    (t) => html`<tr><td class="text">${t.adapter}</td><td class="text">${t.scenario}</td><td class="text">${t.metric}</td><td class="text">${t.expression}</td><td>${num(t.value)}</td><td class="text ${t.passed ? "pass" : "fail"}">${t.passed ? "passed" : "FAILED"}</td></tr>`,
  )}
</table>`;
}

/** Failed thresholds listed; the passed ones behind their count. */
function thresholdTable(m: ReportModel): SafeHtml {
  if (m.thresholds.length === 0) return html`<p class="muted">No thresholds were set.</p>`;
  const failed = m.thresholds.filter((t) => !t.passed);
  const passed = m.thresholds.filter((t) => t.passed);
  return html`${failed.length ? html`<div id="failed-thresholds"><h3 class="fail">${plural(failed.length, "failed threshold", "failed thresholds")}</h3>${thresholdRows(failed)}</div>` : ""}
  ${passed.length ? html`<details id="passed-thresholds"><summary>${plural(passed.length, "passed threshold", "passed thresholds")}</summary>${thresholdRows(passed)}</details>` : ""}`;
}

const latencyCells = (l: LatencySummaryJson) => (l.count === 0 ? html`<td colspan="5" class="muted">none</td>` : html`<td>${ms(l.p50)}</td><td>${ms(l.p90)}</td><td>${ms(l.p99)}</td><td>${ms(l.p999)}</td><td>${ms(l.max)}</td>`);
const countCell = (n: number) => html`<td class="${n > 0 ? "fail" : ""}">${n.toLocaleString("en-US")}</td>`;

function comparisonTable(rows: readonly ComparisonRow[]): SafeHtml {
  return html`<div class="scroll"><table>
  <tr><th class="text" rowspan="2">adapter</th><th class="text" rowspan="2">status</th><th colspan="3">throughput (events/s)</th><th colspan="5">publish latency (ms)</th><th colspan="5">end-to-end latency (ms)</th><th colspan="2">lag max</th><th colspan="3">delivery</th><th rowspan="2">errors</th><th rowspan="2">conflicts</th></tr>
  <tr><th>target</th><th>acked</th><th>consumed</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>events</th><th>ms</th><th>lost</th><th>dup.</th><th>out of order</th></tr>
  ${rows.map(
    (r) => html`<tr>
    <td class="text"><strong>${r.adapter}</strong></td>
    <td class="text ${r.status === "passed" ? "pass" : "fail"}">${r.status}${r.harnessFlagged ? html`<br><span class="fail">harness warning</span>` : ""}</td>
    <td>${r.target > 0 ? formatNumber(r.target) : "closed loop"}</td>
    <td class="${r.achievedRatio !== null && r.achievedRatio < 0.97 ? "fail" : ""}">${formatNumber(r.acked)}${r.achievedRatio !== null ? html`<br><span class="muted">${formatNumber(r.achievedRatio * 100)}%</span>` : ""}</td>
    <td>${formatNumber(r.consumed)}</td>
    ${latencyCells(r.publish)}
    ${latencyCells(r.endToEnd)}
    <td>${num(r.lagMaxEvents)}</td><td>${num(r.lagMaxMs)}${r.lagSource === "harness" ? html`<br><span class="muted">harness count</span>` : ""}</td>
    ${countCell(r.delivery.lost)}${countCell(r.delivery.duplicated)}${countCell(r.delivery.outOfOrder)}
    ${countCell(r.errors)}<td>${r.conflicts.toLocaleString("en-US")}</td>
  </tr>`,
  )}
</table></div>`;
}

function figuresTable(s: ScenarioSection): SafeHtml {
  if (s.figures.length === 0) return html``;
  return html`<h3>Workload figures</h3><table>
  <tr><th class="text">adapter</th><th class="text">figure</th><th>value</th><th class="text">how it was measured</th></tr>
  ${s.figures.map((f) => html`<tr><td class="text">${f.adapter}</td><td class="text">${f.figure.name}</td><td>${formatFigure(f.figure)}</td><td class="text muted">${f.figure.description ?? ""}</td></tr>`)}
</table>`;
}

const secondsText = (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${formatNumber(v)} s`);
const secondsCell = (v: number | null | undefined) => html`<td>${secondsText(v)}</td>`;
const msCell = (v: number | null) => html`<td>${v === null ? "–" : `${formatNumber(v)} ms`}</td>`;

/** One row per fault: when the system served again and what the fault cost, beside the settings in force. */
function faultsTable(s: ScenarioSection): SafeHtml {
  if (s.faults.length === 0) return html``;
  return html`<h3>Faults</h3><div class="scroll"><table>
  <tr><th class="text">adapter</th><th class="text">fault</th><th>at</th><th>first ack after</th><th>first consumed after</th><th>acks · consumption back</th><th>replacement's first event · role taken over</th>
    <th>lost</th><th>dup</th><th>ooo</th><th>publish p99 before → peak</th><th>e2e p99 peak</th><th>latency back after</th><th class="text">persistence in force</th></tr>
  ${s.faults.map(
    ({ adapter, fault: f }) => html`<tr>
    <td class="text">${adapter}</td><td class="text">${f.description}${f.member ? ` (${f.member})` : ""}${f.error ? html`<br><span class="fail">not applied: ${f.error}</span>` : ""}</td>
    <td>${formatNumber(f.atS)} s</td>${secondsCell(f.firstAckAfterS)}${secondsCell(f.firstConsumedAfterS)}<td>${secondsText(f.ackedResumedS)} · ${secondsText(f.consumedResumedS)}</td>${f.kind === "kill-member" ? secondsCell(f.replacementFirstEventS) : f.roleTakenOverS !== undefined ? secondsCell(f.roleTakenOverS) : html`<td></td>`}
    ${countCell(f.lost)}${countCell(f.duplicated)}${countCell(f.outOfOrder)}
    <td>${f.publishP99Ms.before === null ? "–" : formatNumber(f.publishP99Ms.before)} → ${f.publishP99Ms.peak === null ? "–" : formatNumber(f.publishP99Ms.peak)} ms</td>${msCell(f.e2eP99Ms.peak)}${secondsCell(f.latencyRecoveredS)}
    <td class="text muted">${Object.entries(f.persistence).map(([k, v]) => `${k}: ${v}`).join(", ") || "not known"}</td>
  </tr>`,
  )}
</table></div>
<p class="muted">Times run from the fault's start; acks and consumption are back at the end of the first whole second after it with 90 % of the level before. Lost, duplicated and out-of-order events are those of the fault's window of sends (from the entry's start, or 2 s before a later fault, until the next fault's window), so every loss belongs to one fault.</p>`;
}

/** Fault windows named under the timeline charts, where the spikes they cause are drawn. */
function faultCaption(s: ScenarioSection): SafeHtml {
  const windows = s.faults.filter((f) => f.fault.startedS !== null);
  if (windows.length === 0) return html``;
  return html` <span class="muted">(faults: ${windows.map(({ adapter, fault: f }) => `${adapter} ${f.kind} ${formatNumber(f.startedS as number)}–${f.endedS === null ? "?" : formatNumber(f.endedS)} s`).join("; ")})</span>`;
}

function scenarioSection(s: ScenarioSection): SafeHtml {
  return html`<section id="${s.anchor}">
  <h2>${s.scenario} <span class="muted">— workload ${s.workload}</span></h2>
  <p class="settings">${s.settings}</p>
  ${comparisonTable(s.rows)}
  ${s.rows.filter((r) => r.error).map((r) => html`<div class="alert"><strong>${r.adapter}:</strong> ${r.error}</div>`)}
  ${s.rows.filter((r) => r.failedAppends.length).map((r) => html`<div class="failed-appends"><strong>${r.adapter}: ${r.errors.toLocaleString("en-US")} failed appends</strong>, by reason:<ul>${r.failedAppends.map((t) => html`<li>${t}</li>`)}</ul></div>`)}
  ${figuresTable(s)}
  ${faultsTable(s)}
  <div class="charts">
    ${s.charts.map((c) => html`<figure><figcaption>${c.title}${c.xLabel === TIMELINE_AXIS && s.warmupS > 0 ? html` <span class="muted">(warm-up until ${s.warmupS} s)</span>` : ""}${c.xLabel === TIMELINE_AXIS ? faultCaption(s) : ""}</figcaption><div class="chart" data-chart-id="${c.id}"></div></figure>`)}
    ${s.heatmaps.map((h) => html`<figure><figcaption>${h.title}${s.warmupS > 0 ? html` <span class="muted">(warm-up until ${s.warmupS} s)</span>` : ""}${faultCaption(s)}</figcaption><canvas class="heatmap" data-heatmap-id="${h.id}"></canvas></figure>`)}
  </div>
</section>`;
}

function claimsTable(m: ReportModel): SafeHtml {
  if (m.claims.length === 0) return html``;
  return html`<h2>Published claims beside what was measured here</h2><table>
  <tr><th class="text">claim</th><th class="text">adapter / scenario</th><th class="text">published</th><th class="text">source</th><th>measured here</th><th class="text">scaling to this machine</th></tr>
  ${m.claims.map((c) => html`<tr><td class="text">${c.name}</td><td class="text">${c.adapter} / ${c.scenario}</td><td class="text">${c.published}</td><td class="text">${c.source}</td><td>${c.measured}</td><td class="text muted">${c.scaling}</td></tr>`)}
</table>`;
}

export function comparisonSection(c: RunComparison | null): SafeHtml {
  if (!c) return html``;
  const pct = (x: number | null) => (x === null ? "n/a" : `${x > 0 ? "+" : ""}${formatNumber(x * 100)}%`);
  return html`<h2>Against the baseline</h2>
  <p>Baseline ${c.baseRuns.join(", ")} → ${c.newRuns.join(", ")}: the per-second values of the steady state compared with a rank-sum test. A metric regresses when its median moved the wrong way by more than ${formatNumber(c.settings.tolerance * 100)}% and more than the baseline runs' own noise band (measured when the baseline holds repeated runs), a latency by more than ${c.settings.minDeltaMs} ms, and p &lt; ${c.settings.alpha}.
  <strong class="${c.regressions ? "fail" : "pass"}">${c.regressions} regression(s).</strong></p>
  ${c.caveat ? html`<div class="alert"><strong>Note:</strong> ${c.caveat}</div>` : ""}
  ${c.unmatched.map((u) => html`<div class="alert">${u.adapter} / ${u.scenario} is only in the ${u.side === "base" ? "baseline" : "new run"}: not compared.</div>`)}
  <table>
  <tr><th class="text">adapter / scenario</th><th class="text">metric</th><th>baseline median</th><th>new median</th><th>change</th><th>noise band</th><th>p</th><th>samples</th><th class="text">verdict</th></tr>
  ${c.entries.flatMap((e) =>
    e.metrics.map(
      (m) => html`<tr><td class="text">${e.adapter} / ${e.scenario}</td><td class="text">${m.metric} (${m.unit})</td><td>${num(m.baseMedian)}</td><td>${num(m.newMedian)}</td><td>${pct(m.change)}</td><td>${m.noiseBand === null ? "–" : `±${formatNumber(m.noiseBand * 100)}%`}</td><td>${m.pValue === null ? "n/a" : m.pValue.toPrecision(2)}</td><td>${m.samples.base} / ${m.samples.new}</td><td class="text ${m.verdict === "regression" ? "fail" : m.verdict === "improvement" ? "pass" : "muted"}">${m.verdict}</td></tr>`,
    ),
  )}
</table>`;
}

export function renderHtmlReport(m: ReportModel): string {
  const charts = m.sections.flatMap((s) => s.charts);
  const heatmaps = m.sections.flatMap((s) => s.heatmaps);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.title}</title>
<style>${trusted(UPLOT_CSS())}</style>
<style>${trusted(PAGE_STYLE)}</style>
<style>${trusted(STYLE)}</style>
</head><body>
${verdictHeader(m)}
${entryMatrix(m)}
${findings(m)}
<h2 id="thresholds">Thresholds</h2>
${thresholdTable(m)}
${environmentTable(m)}
${comparisonSection(m.comparison)}
${m.sections.map(scenarioSection)}
${claimsTable(m)}
<footer>Latencies in milliseconds from the intended send time (open loop: coordinated omission corrected). Percentile charts plot 1/(1−q) on a log axis, as HdrHistogram does. Generated by eventbench ${m.environment.eventbench} from result.json of run ${m.runId}.</footer>
<script type="application/json" id="report-data">${jsonForScript({ charts, heatmaps, palette: SERIES_COLOURS })}</script>
<script>${trusted(UPLOT_JS())}</script>
<script>${trusted(CHARTS_JS())}</script>
</body></html>
`.value;
}
