import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { LatencySummaryJson } from "../harness/result/result-schema.js";
import { formatFigure, formatNumber, type ComparisonRow, type ReportModel, type ScenarioSection } from "./report-model.js";
import type { RunComparison } from "./run-comparison.js";
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
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1280px; padding: 16px 24px 48px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.verdict { border-radius: 6px; padding: 12px 16px; margin: 12px 0; border: 2px solid; }
.verdict.passed { border-color: var(--ok); background: #dafbe1; } .verdict.failed, .verdict.error, .verdict.incomplete { border-color: var(--bad); background: #ffebe9; }
.verdict .status { font-weight: 700; font-size: 18px; text-transform: uppercase; }
.alert { border: 2px solid var(--bad); background: #fff8c5; border-radius: 6px; padding: 8px 14px; margin: 10px 0; }
.alert strong { color: var(--bad); }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 2px 5px; text-align: right; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; } td.text, th.text { text-align: left; }
.pass { color: var(--ok); font-weight: 600; } .fail { color: var(--bad); font-weight: 700; } .muted { color: var(--muted); }
.settings { color: var(--muted); margin: 0 0 6px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px 20px; }
figure { margin: 0; break-inside: avoid; } figcaption { font-weight: 600; margin: 4px 0; }
.chart { width: 100%; min-height: 300px; }
.scroll { overflow-x: auto; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { body { max-width: none; padding: 0; } .charts { grid-template-columns: 1fr; } h2 { break-after: avoid; } table { font-size: 11px; } }
`;

const ms = (x: number) => formatNumber(x);
const num = (x: number | null) => (x === null ? "n/a" : formatNumber(x));

function verdictHeader(m: ReportModel): SafeHtml {
  const failed = m.thresholds.filter((t) => !t.passed).length;
  const host = m.environment.host;
  return html`
<header>
  <h1>${m.title}</h1>
  <div class="verdict ${m.status}">
    <span class="status">${m.status}</span>${m.interrupted ? " (interrupted: what was measured until then)" : ""}
    — ${m.thresholds.length - failed} of ${m.thresholds.length} thresholds passed${failed ? html`, <span class="fail">${failed} failed</span>` : ""}${
      m.warnings.length ? html`, <span class="fail">${m.warnings.length} harness warning(s)</span>` : ""
    }${m.errors.length ? html`, <span class="fail">${m.errors.length} error(s)</span>` : ""}${
      m.targetsNotHeld.length ? html`, <span class="fail">${m.targetsNotHeld.length} target(s) not held</span>` : ""
    }
  </div>
  ${m.errors.map((e) => html`<div class="alert"><strong>Error</strong> in ${e.adapter} / ${e.scenario}: ${e.text}</div>`)}
  ${m.targetsNotHeld.map((t) => html`<div class="alert"><strong>Target not held</strong> in ${t.adapter} / ${t.scenario}: ${t.text}</div>`)}
  ${m.warnings.map((w) => html`<div class="alert"><strong>Harness warning</strong> (${w.adapter} / ${w.scenario}): ${w.text} — these figures may measure eventbench, not the system.</div>`)}
  ${m.skipped.map((s) => html`<div class="alert"><strong>Not run:</strong> ${s.adapter} — ${s.reason}</div>`)}
  ${m.notes.length ? html`<ul class="muted">${m.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}
  <table>
    <tr><th class="text">scenario</th><td class="text">${m.scenario.name} <span class="muted">(${m.scenario.file})</span></td></tr>
    <tr><th class="text">run</th><td class="text">${m.runId}, ${m.startedAt} → ${m.finishedAt}</td></tr>
    <tr><th class="text">host</th><td class="text">${host.hostname}: ${host.cpus} × ${host.cpuModel}, ${host.memoryGiB} GiB, ${host.platform}/${host.arch}, Node.js ${host.node}, eventbench ${m.environment.eventbench}</td></tr>
    <tr><th class="text">environment</th><td class="text">provider ${m.environment.provider}; clock: ${m.environment.clock}</td></tr>
    ${m.environment.services.map((s) => html`<tr><th class="text">server</th><td class="text">${s.kind} ${s.version} (${s.provider}) at ${s.endpoint}</td></tr>`)}
    ${m.systems.map((s) => html`<tr><th class="text">adapter</th><td class="text">${s.adapter}: ${s.server}, client ${s.client}${s.unmaintained ? html` <strong class="unmaintained">(unmaintained: ${s.unmaintained})</strong>` : ""}, ${s.endpoint} (${s.provider})</td></tr>`)}
  </table>
</header>`;
}

function thresholdTable(m: ReportModel): SafeHtml {
  if (m.thresholds.length === 0) return html`<p class="muted">No thresholds were set.</p>`;
  return html`<table>
  <tr><th class="text">adapter</th><th class="text">scenario</th><th class="text">metric</th><th class="text">threshold</th><th>value</th><th class="text">verdict</th></tr>
  ${m.thresholds.map(
    (t) => html`<tr><td class="text">${t.adapter}</td><td class="text">${t.scenario}</td><td class="text">${t.metric}</td><td class="text">${t.expression}</td><td>${num(t.value)}</td><td class="text ${t.passed ? "pass" : "fail"}">${t.passed ? "passed" : "FAILED"}</td></tr>`,
  )}
</table>`;
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

const secondsCell = (v: number | null | undefined) => html`<td>${v === null || v === undefined ? "–" : `${formatNumber(v)} s`}</td>`;
const msCell = (v: number | null) => html`<td>${v === null ? "–" : `${formatNumber(v)} ms`}</td>`;

/** One row per fault: when the system served again and what the fault cost, beside the settings in force. */
function faultsTable(s: ScenarioSection): SafeHtml {
  if (s.faults.length === 0) return html``;
  return html`<h3>Faults</h3><div class="scroll"><table>
  <tr><th class="text">adapter</th><th class="text">fault</th><th>at</th><th>first ack after</th><th>first consumed after</th><th>replacement's first event</th>
    <th>lost</th><th>dup</th><th>ooo</th><th>publish p99 before → peak</th><th>e2e p99 peak</th><th>latency back after</th><th class="text">persistence in force</th></tr>
  ${s.faults.map(
    ({ adapter, fault: f }) => html`<tr>
    <td class="text">${adapter}</td><td class="text">${f.description}${f.error ? html`<br><span class="fail">not applied: ${f.error}</span>` : ""}</td>
    <td>${formatNumber(f.atS)} s</td>${secondsCell(f.firstAckAfterS)}${secondsCell(f.firstConsumedAfterS)}${f.kind === "kill-member" ? secondsCell(f.replacementFirstEventS) : html`<td></td>`}
    ${countCell(f.lost)}${countCell(f.duplicated)}${countCell(f.outOfOrder)}
    <td>${f.publishP99Ms.before === null ? "–" : formatNumber(f.publishP99Ms.before)} → ${f.publishP99Ms.peak === null ? "–" : formatNumber(f.publishP99Ms.peak)} ms</td>${msCell(f.e2eP99Ms.peak)}${secondsCell(f.latencyRecoveredS)}
    <td class="text muted">${Object.entries(f.persistence).map(([k, v]) => `${k}: ${v}`).join(", ") || "not known"}</td>
  </tr>`,
  )}
</table></div>
<p class="muted">Times run from the fault's start. Lost, duplicated and out-of-order events are those of the fault's window of sends (from the entry's start, or 2 s before a later fault, until the next fault's window), so every loss belongs to one fault.</p>`;
}

/** Fault windows named under the timeline charts, where the spikes they cause are drawn. */
function faultCaption(s: ScenarioSection): SafeHtml {
  const windows = s.faults.filter((f) => f.fault.startedS !== null);
  if (windows.length === 0) return html``;
  return html` <span class="muted">(faults: ${windows.map(({ adapter, fault: f }) => `${adapter} ${f.kind} ${formatNumber(f.startedS as number)}–${f.endedS === null ? "?" : formatNumber(f.endedS)} s`).join("; ")})</span>`;
}

function scenarioSection(s: ScenarioSection): SafeHtml {
  return html`<section>
  <h2>${s.scenario} <span class="muted">— workload ${s.workload}</span></h2>
  <p class="settings">${s.settings}</p>
  ${comparisonTable(s.rows)}
  ${s.rows.filter((r) => r.error).map((r) => html`<div class="alert"><strong>${r.adapter}:</strong> ${r.error}</div>`)}
  ${figuresTable(s)}
  ${faultsTable(s)}
  <div class="charts">
    ${s.charts.map((c) => html`<figure><figcaption>${c.title}${c.xLabel === "seconds since start" && s.warmupS > 0 ? html` <span class="muted">(warm-up until ${s.warmupS} s)</span>` : ""}${c.xLabel === "seconds since start" ? faultCaption(s) : ""}</figcaption><div class="chart" data-chart-id="${c.id}"></div></figure>`)}
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
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.title}</title>
<style>${trusted(UPLOT_CSS())}</style>
<style>${trusted(STYLE)}</style>
</head><body>
${verdictHeader(m)}
<h2>Thresholds</h2>
${thresholdTable(m)}
${comparisonSection(m.comparison)}
${m.sections.map(scenarioSection)}
${claimsTable(m)}
<footer>Latencies in milliseconds from the intended send time (open loop: coordinated omission corrected). Percentile charts plot 1/(1−q) on a log axis, as HdrHistogram does. Generated by eventbench ${m.environment.eventbench} from result.json of run ${m.runId}.</footer>
<script type="application/json" id="report-data">${jsonForScript({ charts })}</script>
<script>${trusted(UPLOT_JS())}</script>
<script>${trusted(CHARTS_JS())}</script>
</body></html>
`.value;
}
