import { formatNumber } from "./report-model.js";
import { SERIES_COLOURS } from "./page-style.js";
import type { HistoryChart, HistoryPoint } from "./run-history.js";
import { html, type SafeHtml } from "./safe-html.js";

/**
 * One metric across runs as an inline SVG: drawn when the page is written, so every point is a
 * real link to its run's report.html and the page needs no script. Each line is named at its end
 * (readable without a legend), the baseline is a dashed line in the series' colour (its value in
 * the line's name), and points the
 * comparison judged a regression (or an improvement) carry a ring.
 */


const WIDTH = 960;
const HEIGHT = 320;
const LABEL_GAP = 13;
/** Width of a character of the 11 px labels, near enough to keep them inside the picture. */
const CHAR_PX = 6.4;

export interface RunAxis {
  /** Tick label of each run (its start time). */
  readonly labels: readonly string[];
  /** The link of each run's point: its report.html relative to the page, or null without one. */
  readonly hrefs: readonly (string | null)[];
  /** Each run's id, for the points' tooltips. */
  readonly runIds: readonly string[];
}

interface YScale {
  readonly log: boolean;
  readonly min: number;
  readonly max: number;
}

/** Log when every value is positive and they span two decades or more (a slow system beside a fast one). */
function yScale(values: readonly number[]): YScale {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (lo > 0 && hi / lo >= 100) return { log: true, min: 10 ** Math.floor(Math.log10(lo)), max: 10 ** Math.ceil(Math.log10(hi)) };
  const top = hi > 0 ? niceStep(hi / 4) * Math.ceil(hi / niceStep(hi / 4)) : 1;
  return { log: false, min: Math.min(0, lo), max: top };
}

function niceStep(rough: number): number {
  const decade = 10 ** Math.floor(Math.log10(rough));
  return ([1, 2, 2.5, 5, 10].find((f) => f * decade >= rough) ?? 10) * decade;
}

function yTicks(s: YScale): number[] {
  if (s.log) {
    const ticks: number[] = [];
    for (let d = Math.round(Math.log10(s.min)); d <= Math.round(Math.log10(s.max)); d++) ticks.push(10 ** d);
    return ticks;
  }
  const step = niceStep((s.max - s.min) / 4);
  const ticks: number[] = [];
  for (let v = Math.ceil(s.min / step) * step; v <= s.max + step * 1e-6; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Labels at the ends of lines, pushed apart so that none overlaps another. */
function spreadLabels(labels: { y: number; text: string; colour: string; x: number }[]): typeof labels {
  const sorted = [...labels].sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as (typeof sorted)[number];
    const cur = sorted[i] as (typeof sorted)[number];
    if (Math.abs(cur.x - prev.x) < 120 && cur.y - prev.y < LABEL_GAP) cur.y = prev.y + LABEL_GAP;
  }
  return sorted;
}

function pointTitle(chart: HistoryChart, p: HistoryPoint, series: string, axis: RunAxis): string {
  const judged = p.verdict ? `; against the baseline: ${p.verdict}${p.change === null ? "" : ` (${p.change > 0 ? "+" : ""}${formatNumber(p.change * 100)}% per-second median)`}` : "";
  return `${series}, run ${axis.runIds[p.run] ?? ""} (${axis.labels[p.run] ?? ""}): ${formatNumber(p.value)} ${chart.metric.unit}${judged}${axis.hrefs[p.run] ? "" : "; no report.html in its folder"}`;
}

const endLabel = (chart: HistoryChart, s: HistoryChart["series"][number]) => {
  const last = s.points[s.points.length - 1] as HistoryPoint;
  return `${s.name} ${formatNumber(last.value)} ${chart.metric.unit}${s.baseline === null ? "" : ` (baseline ${formatNumber(s.baseline)})`}`;
};

export function historyChartSvg(chart: HistoryChart, axis: RunAxis): SafeHtml {
  const runs = axis.labels.length;
  // The lines' names to the right of the plot, as wide as the longest needs.
  const labelWidth = Math.min(420, 16 + CHAR_PX * Math.max(0, ...chart.series.map((s) => endLabel(chart, s).length)));
  const PLOT = { left: 64, top: 14, right: WIDTH - labelWidth, bottom: HEIGHT - 40 };
  const values = chart.series.flatMap((s) => [...s.points.map((p) => p.value), ...(s.baseline === null ? [] : [s.baseline])]);
  const scale = yScale(values.length ? values : [0]);
  const plotW = PLOT.right - PLOT.left;
  const plotH = PLOT.bottom - PLOT.top;
  const x = (run: number) => round1(runs <= 1 ? PLOT.left + plotW / 2 : PLOT.left + (run / (runs - 1)) * plotW);
  const y = (v: number) => {
    const share = scale.log ? (Math.log10(Math.max(v, scale.min)) - Math.log10(scale.min)) / (Math.log10(scale.max) - Math.log10(scale.min)) : (v - scale.min) / (scale.max - scale.min || 1);
    return round1(PLOT.bottom - share * plotH);
  };
  const tickEvery = Math.max(1, Math.ceil(runs / 8));
  const colour = (i: number) => SERIES_COLOURS[i % SERIES_COLOURS.length] as string;
  const endLabels = spreadLabels(
    chart.series.map((s, i) => {
      const last = s.points[s.points.length - 1] as HistoryPoint;
      return { x: x(last.run) + 8, y: y(last.value), text: endLabel(chart, s), colour: colour(i) };
    }),
  );
  // Many lines ending close together push their names below the plot: the picture grows to hold them.
  const height = Math.max(HEIGHT, Math.ceil(Math.max(0, ...endLabels.map((l) => l.y)) + LABEL_GAP));
  return html`<svg class="history-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${chart.metric.name} (${chart.metric.unit}) across runs">
  <g class="axis">
    ${yTicks(scale).map((v) => html`<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${y(v)}" y2="${y(v)}"></line><text x="${PLOT.left - 6}" y="${y(v)}" text-anchor="end" dominant-baseline="middle">${formatNumber(v)}</text>`)}
    ${axis.labels.map((label, i) => (i % tickEvery === 0 || i === runs - 1 ? html`<text x="${x(i)}" y="${PLOT.bottom + 16}" text-anchor="middle">${label}</text>` : ""))}
    <rect class="frame" x="${PLOT.left}" y="${PLOT.top}" width="${plotW}" height="${plotH}"></rect>
    <text x="${PLOT.left + plotW / 2}" y="${HEIGHT - 4}" text-anchor="middle">run started (UTC), oldest first</text>
    <text x="14" y="${PLOT.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${PLOT.top + plotH / 2})">${chart.metric.unit}${scale.log ? ", log scale" : ""}</text>
  </g>
  ${chart.series.map((s, i) =>
    s.baseline === null
      ? ""
      : html`<g class="baseline"><line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y(s.baseline)}" y2="${y(s.baseline)}" stroke="${colour(i)}"><title>baseline of ${s.name}: ${formatNumber(s.baseline)} ${chart.metric.unit}</title></line></g>`,
  )}
  ${chart.series.map(
    (s, i) => html`<g class="series" data-series="${s.name}">
    <polyline fill="none" stroke="${colour(i)}" stroke-width="1.5" points="${s.points.map((p) => `${x(p.run)},${y(p.value)}`).join(" ")}"></polyline>
    ${s.points.map((p) => {
      const mark = html`<circle class="point${p.verdict === "regression" ? " regression" : p.verdict === "improvement" ? " improvement" : ""}" cx="${x(p.run)}" cy="${y(p.value)}" r="${p.verdict === "regression" || p.verdict === "improvement" ? 5 : 3.5}" fill="${colour(i)}" data-run="${axis.runIds[p.run] ?? ""}"><title>${pointTitle(chart, p, s.name, axis)}</title></circle>`;
      const href = axis.hrefs[p.run];
      return href ? html`<a href="${href}">${mark}</a>` : mark;
    })}
  </g>`,
  )}
  ${endLabels.map((l) => html`<text class="series-label" x="${l.x}" y="${l.y}" dominant-baseline="middle" fill="${l.colour}">${l.text}</text>`)}
</svg>`;
}
