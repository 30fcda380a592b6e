import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runResultSchema, type RunResult } from "../harness/result/result-schema.js";
import { renderHtmlReport } from "./html-report.js";
import { renderJunitXml } from "./junit-xml.js";
import { buildReportModel, TIMELINE_AXIS } from "./report-model.js";
import { compareRuns, DEFAULT_COMPARISON } from "./run-comparison.js";
import { renderSummaryMarkdown } from "./summary-markdown.js";

const fixture = (): RunResult =>
  runResultSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("../../results/example/result.json", import.meta.url)), "utf8")));
const HOSTILE = "<img src=x onerror=alert(1)>|`x`";

/** A result whose every free-text field is hostile, with a workload figure, a claim and a curve. */
function hostileResult(): RunResult {
  const r = fixture();
  r.scenario.name = HOSTILE;
  const e = r.runs[0] as RunResult["runs"][number];
  e.scenario = HOSTILE;
  e.error = `boom ${HOSTILE}`;
  e.status = "error";
  e.harness.warnings.push(`warn ${HOSTILE}`);
  e.thresholds.push({ metric: "publish_latency", expression: "p(99)<0.001", value: 1.2, passed: false });
  e.figures.push({ name: `conflict rate ${HOSTILE}`, value: 2.5, unit: "%", description: HOSTILE, claim: { source: HOSTILE, published: "< 1 %", scaling: "none" } });
  e.curves.push({ id: "rate-p99", title: `rate → p99 ${HOSTILE}`, xLabel: "events/s", yLabel: "ms", xScale: "linear", yScale: "log", series: [{ name: "p99", points: [[100, 1], [200, 2]] }] });
  e.faults = [
    {
      kind: "restart-server",
      description: `kill ${HOSTILE}`,
      atS: 3,
      startedS: 3,
      endedS: 4.2,
      error: HOSTILE,
      firstAckAfterS: 1.5,
      firstConsumedAfterS: 1.6,
      windowFromS: 0,
      lost: 1500,
      lostByGroup: { "group-1": 1500 },
      duplicated: 0,
      outOfOrder: 0,
      publishP99Ms: { before: 2, peak: 1500 },
      e2eP99Ms: { before: 2, peak: 1600 },
      latencyRecoveredS: 3,
      persistence: { appendonly: HOSTILE },
    },
  ];
  e.figures.push({ name: `fault 1 (restart-server at 3 s): events lost`, value: 1500, unit: "events", fault: 0 });
  e.delivery.errors = 3642;
  e.delivery.errorMessages = [{ message: `OOM command not allowed ${HOSTILE}\u001b[31m`, count: 3642, firstS: 1.3, lastS: 9.8 }];
  r.skipped.push({ adapter: HOSTILE, reason: HOSTILE });
  return r;
}

describe("target not held", () => {
  it("is in the verdict of report.html, summary.md and junit.xml, failing junit only when gated", () => {
    const r = fixture();
    const e = r.runs[0] as RunResult["runs"][number];
    e.throughput = { ...e.throughput, acked: 27 };
    e.status = "target-not-held";
    e.targetHeld = { share: Math.round((27 / e.throughput.target) * 1e4) / 1e4, required: 0.95, held: false, gate: true };
    const m = buildReportModel(r);
    assert.equal(m.targetsNotHeld.length, 1);
    const page = renderHtmlReport(m);
    assert.match(page, /<a class="count bad" href="#targets-not-held">1 target not held<\/a>/);
    assert.match(page, /<h3 id="targets-not-held">Targets not held<\/h3><ul><li class="fail"><strong>memory \/ steady<\/strong>: target not held: acknowledged 27 of the 300/);
    assert.match(page, /<td class="cell st-target-not-held">/);
    assert.match(renderSummaryMarkdown(m), /\*\*Target not held\*\* in memory \/ steady: target not held: acknowledged 27 of the 300 events\/s asked/);
    assert.match(renderJunitXml(r), /name="target held: acknowledged at least 95 % of the target rate"><failure message="target not held: acknowledged 27/);
    e.targetHeld = { ...e.targetHeld, gate: false };
    assert.match(renderJunitXml(r), /<skipped message="target not held: acknowledged 27 of the 300 events\/s asked \(9 %; holding it takes 95 %\), not gated by the scenario"/);
  });
});

describe("failed appends", () => {
  it("are listed by reason with count and first and last time in report.html and summary.md, escaped, control characters removed", () => {
    const m = buildReportModel(hostileResult());
    const page = renderHtmlReport(m);
    assert.match(page, /<div class="failed-appends"><strong>memory: 3,642 failed appends<\/strong>, by reason:<ul><li>3,642 × OOM command not allowed &#60;img src=x onerror=alert\(1\)&#62;\|&#96;x&#96; \[31m \(1\.3 s to 9\.8 s\)<\/li><\/ul><\/div>/);
    const md = renderSummaryMarkdown(m);
    assert.match(md, /^- failed appends, memory: 3,642 × OOM command not allowed &lt;img src=x onerror=alert\(1\)&gt;\\\|\\`x\\` \\\[31m \(1\.3 s to 9\.8 s\)$/m);
    assert.ok(!page.includes("\u001b") && !md.includes("\u001b"), "no escape code");
  });
});

describe("report model", () => {
  it("groups entries by scenario with one row per adapter and one chart id each", () => {
    const r = fixture();
    const m = buildReportModel(r);
    assert.deepEqual(m.sections.map((x) => x.scenario), [...new Set(r.runs.map((e) => e.scenario))]);
    const s = m.sections[0] as (typeof m.sections)[number];
    const entries = r.runs.filter((e) => e.scenario === s.scenario);
    assert.deepEqual(s.rows.map((x) => x.adapter), entries.map((e) => e.adapter));
    assert.deepEqual(s.rows.map((x) => x.publish.p99), entries.map((e) => e.latency.publish.p99));
    const ids = s.charts.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    const spectrum = s.charts.find((c) => c.id.endsWith("publish-spectrum"));
    assert.equal(spectrum?.series.length, entries.length, "one spectrum per adapter, overlaid");
    const rate = s.charts.find((c) => c.id.endsWith("-rate"));
    assert.equal(rate?.series[0]?.name, "target");
  });

  it("draws each entry's latency per second as p50–p99–max bands, and shades the warm-up and faults on every timeline", () => {
    const r = hostileResult();
    const m = buildReportModel(r);
    const s = m.sections[0] as (typeof m.sections)[number];
    const bands = s.charts.filter((c) => c.id.includes("-latency-bands-"));
    assert.equal(bands.length, s.rows.length, "one chart per entry");
    assert.equal(s.rows.length, 1, "the hostile entry has its scenario to itself: a fault's label needs no adapter");
    const first = bands[0] as (typeof bands)[number];
    assert.deepEqual(first.series.map((x) => x.name), ["max", "p99", "p50"]);
    assert.deepEqual(first.bands, [{ upper: 0, lower: 1 }, { upper: 1, lower: 2 }]);
    const entry = r.runs[0] as RunResult["runs"][number];
    assert.deepEqual(first.series[1]?.points.map((p) => p[1]), entry.timeseries.map((p) => p.e2eP99));
    const timelines = s.charts.filter((c) => c.xLabel === TIMELINE_AXIS);
    const spectra = s.charts.filter((c) => c.id.endsWith("-spectrum"));
    assert.ok(timelines.length > bands.length && spectra.length === 2);
    for (const c of timelines) assert.deepEqual(c.windows, [
      { kind: "warmup", fromS: 0, toS: entry.settings.warmupS, label: "warm-up" },
      { kind: "fault", fromS: 3, toS: 4.2, label: "restart-server" },
    ], c.id);
    for (const c of spectra) assert.equal(c.windows, undefined, "a percentile axis has no time to shade");
    const lastSecond = Math.max(...entry.timeseries.map((p) => p.t));
    for (const c of timelines) assert.deepEqual(c.xRange, [0, lastSecond], `${c.id} is on the scenario's one time axis`);
  });

  it("shows a workload's own figures, curves and claims without knowing the workload", () => {
    const m = buildReportModel(hostileResult());
    const s = m.sections.find((x) => x.scenario === HOSTILE);
    assert.equal(s?.figures.length, 1);
    assert.ok(s?.charts.some((c) => c.title.startsWith("rate → p99")));
    assert.equal(m.claims.length, 1);
    assert.equal(m.claims[0]?.measured, "2.5%");
  });
});

describe("the first screen", () => {
  it("groups harness warnings by cause, one group per cause listing every entry it touched, in the order they first appear", () => {
    const r = fixture();
    const [a, b, c] = r.runs;
    assert.ok(a && b && c);
    a.harness.warnings.push("event loop delayed: p99 73.0 ms in a harness thread (limit 50 ms); latencies include harness delay");
    b.harness.warnings.push("scheduler behind: p99 35.0 ms between intended and actual send (limit 20 ms) with no back-pressure from the system");
    c.harness.warnings.push("worker w-2: event loop delayed: p99 90.0 ms in a harness thread (limit 50 ms); latencies include harness delay");
    const m = buildReportModel(r);
    assert.deepEqual(
      m.warningGroups.map((g) => [g.cause, g.entries.map((e) => `${e.adapter}/${e.scenario}`)]),
      [
        ["event loop delayed", [`${a.adapter}/${a.scenario}`, `${c.adapter}/${c.scenario}`]],
        ["scheduler behind", [`${b.adapter}/${b.scenario}`]],
      ],
    );
    const md = renderSummaryMarkdown(m);
    assert.equal(md.match(/\*\*Harness warning/g)?.length, 2, "one summary.md line per cause");
    assert.match(md, new RegExp(`\\*\\*Harness warning: event loop delayed\\*\\* in 2 entries \\(${a.adapter} / ${a.scenario}, ${c.adapter} / ${c.scenario}\\)`));
  });

  it("puts every entry in one scenario × adapter matrix, a skipped adapter as a column of its own", () => {
    const r = fixture();
    r.skipped.push({ adapter: "elsewhere", reason: "no server here" });
    const m = buildReportModel(r);
    const adapters = [...new Set(r.runs.map((e) => e.adapter))];
    assert.deepEqual(m.matrix.adapters, [...adapters, "elsewhere"]);
    assert.deepEqual(m.matrix.rows.map((row) => row.scenario), m.sections.map((s) => s.scenario));
    for (const row of m.matrix.rows) {
      assert.deepEqual(row.cells.map((cell) => cell.map((x) => x.adapter)), [...adapters.map((a) => [a]), []]);
    }
    const page = renderHtmlReport(m);
    assert.equal(page.match(/<td class="cell /g)?.length, m.matrix.rows.length * m.matrix.adapters.length);
    for (const s of m.sections) assert.ok(page.includes(`<section id="${s.anchor}">`), `the matrix's link to ${s.scenario} has a target`);
  });
});

describe("report.html", () => {
  it("labels an adapter whose client is unmaintained beside the client, and only that one", () => {
    const r = fixture();
    const [first, second] = r.runs.filter((e, i, all) => all.findIndex((o) => o.adapter === e.adapter) === i);
    assert.ok(first && second, "the fixture has two adapters");
    for (const e of r.runs) if (e.adapter === first.adapter) e.system.unmaintained = "no release since 2023";
    const out = renderHtmlReport(buildReportModel(r));
    assert.match(out, new RegExp(`${first.adapter}: [^<]*client [^<]*<strong class="unmaintained">\\(unmaintained: no release since 2023\\)</strong>`));
    assert.equal(out.match(/class="unmaintained"/g)?.length, 1, `only ${first.adapter} is labelled, not ${second.adapter}`);
  });

  it("shows each fault in a table of its own, apart from the workload figures", () => {
    const m = buildReportModel(hostileResult());
    const section = m.sections[0];
    assert.equal(section?.faults.length, 1);
    assert.ok(!section?.figures.some((f) => f.figure.fault !== undefined), "fault figures are not repeated as workload figures");
    const page = renderHtmlReport(m);
    assert.match(page, /<h3>Faults<\/h3>/);
    assert.match(page, /1,500/);
    assert.match(renderSummaryMarkdown(m), /- fault, .*restart-server at 3 s could not be applied/);
  });

  it("escapes every string from a scenario, an adapter or an error", () => {
    const page = renderHtmlReport(buildReportModel(hostileResult()));
    assert.ok(!page.includes("<img"), "no raw tag from the data");
    assert.ok(page.includes("&#60;img src=x onerror=alert(1)&#62;"));
    assert.ok(!/(src|href)\s*=\s*["']?(https?:)?\/\//i.test(page), "nothing to fetch from a network");
  });
});

describe("junit.xml", () => {
  it("has one test case per threshold plus the delivery check, failures marked, text escaped", () => {
    const r = hostileResult();
    const xml = renderJunitXml(r);
    const thresholds = r.runs.reduce((n, e) => n + e.thresholds.length, 0);
    const cases = xml.match(/<testcase /g)?.length ?? 0;
    assert.equal(cases, thresholds + r.runs.length + 1 /* the error case */);
    assert.equal(xml.match(/<failure /g)?.length, 1);
    assert.match(xml, /<error message="boom &#60;img/);
    assert.ok(!xml.includes("<img"));
  });

  it("adds one case per compared metric when there is a baseline", () => {
    const r = fixture();
    const xml = renderJunitXml(r, compareRuns([r], [r], DEFAULT_COMPARISON));
    assert.equal(xml.match(/no regression: /g)?.length, r.runs.length * 6);
  });
});

describe("summary.md", () => {
  it("keeps hostile text inside its table cell and lists failed thresholds", () => {
    const md = renderSummaryMarkdown(buildReportModel(hostileResult()));
    assert.ok(!md.includes("<img"));
    assert.ok(md.includes("&lt;img src=x onerror=alert(1)&gt;\\|\\`x\\`"));
    assert.match(md, /### Failed thresholds/);
    assert.ok(md.includes("p(99)&lt;0.001"));
    // Every row of a table has as many cells as its header: no escaped pipe splits a cell.
    const cells = (line: string) => line.replace(/\\\|/g, "").split("|").length;
    for (const table of md.split("\n\n").filter((b) => b.startsWith("| "))) {
      const [header, ...rows] = table.split("\n");
      for (const row of rows) assert.equal(cells(row), cells(header as string), row);
    }
  });
});
