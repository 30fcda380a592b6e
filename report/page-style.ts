/**
 * The stylesheet report.html and the history page share: type, tables, the verdict colours. Each
 * page adds its own rules after it.
 */
export const PAGE_STYLE = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1280px; padding: 16px 24px 48px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 2px 5px; text-align: right; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; } td.text, th.text { text-align: left; }
.pass { color: var(--ok); font-weight: 600; } .fail { color: var(--bad); font-weight: 700; } .muted { color: var(--muted); }
.alert { border: 2px solid var(--bad); background: #fff8c5; border-radius: 6px; padding: 8px 14px; margin: 10px 0; }
.alert strong { color: var(--bad); }
.scroll { overflow-x: auto; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;
