/**
 * The stylesheet report.html and the history page share: type, tables, the state colours, and the
 * colour schemes. Every colour is a variable: the dark scheme (a reader whose system prefers
 * dark) swaps them on screen; paper always gets the light one, with nothing folded away or
 * clipped. The report's charts read the same variables (report/browser/report-charts.js). Each
 * page adds its own rules after it.
 */
export const PAGE_STYLE = `
:root {
  color-scheme: light;
  --fg: #1f2328; --bg: #ffffff; --muted: #57606a; --line: #d0d7de; --frame: #8c959f; --head-bg: #f6f8fa; --link: #0969da;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700;
  --ok-bg: #dafbe1; --bad-bg: #ffebe9; --error-bg: #ffcecb; --alert-bg: #fff8c5;
  --held: #bf8700; --held-bg: #fff1c2; --incomplete: #bc4c00; --incomplete-bg: #fff1e5; --not-run: #8c959f; --not-run-bg: #f6f8fa;
  --warmup-shade: rgba(87, 96, 106, 0.10); --warmup-text: #57606a; --fault-shade: rgba(207, 34, 46, 0.14); --fault-text: #a40e26;
  --heat-lightness-few: 94; --heat-lightness-most: 20;
}
@media screen and (prefers-color-scheme: dark) {
  /* .printing: set by the report's script from beforeprint, so the charts it redraws for paper read the light colours. */
  :root:not(.printing) {
    color-scheme: dark;
    --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --frame: #656c76; --head-bg: #151b23; --link: #4493f8;
    --ok: #3fb950; --bad: #f85149; --warn: #d29922;
    --ok-bg: #12261e; --bad-bg: #2d1517; --error-bg: #42161a; --alert-bg: #2e2a12;
    --held: #d29922; --held-bg: #2e2610; --incomplete: #db6d28; --incomplete-bg: #2d1d12; --not-run: #656c76; --not-run-bg: #151b23;
    --warmup-shade: rgba(145, 152, 161, 0.14); --warmup-text: #9198a1; --fault-shade: rgba(248, 81, 73, 0.20); --fault-text: #ff7b72;
    --heat-lightness-few: 18; --heat-lightness-most: 78;
  }
}
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1280px; padding: 16px 24px 48px; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 2px 5px; text-align: right; vertical-align: top; }
th { background: var(--head-bg); font-weight: 600; } td.text, th.text { text-align: left; }
.pass { color: var(--ok); font-weight: 600; } .fail { color: var(--bad); font-weight: 700; } .muted { color: var(--muted); }
.alert { border: 2px solid var(--bad); background: var(--alert-bg); border-radius: 6px; padding: 8px 14px; margin: 10px 0; }
.alert strong { color: var(--bad); }
.scroll { overflow-x: auto; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 12px; }
  a { color: inherit; }
  h2, h3 { break-after: avoid; } tr, figure { break-inside: avoid; }
  table { font-size: 11px; } .scroll { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** The lines' colours on both pages, in order; each reads on the light and the dark background. */
export const SERIES_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
