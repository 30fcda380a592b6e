import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { it } from "node:test";
import { dashboardQueries } from "../dashboards/dashboard-catalog.js";
import { freePort } from "../harness/environment/free-port.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/** What a scrape during the run must show, with the labels dashboards select on. */
const EXPECTED = [
  /^eventbench_events_sent_total\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} [1-9]\d*$/m,
  /^eventbench_events_acked_total\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} [1-9]\d*$/m,
  /^eventbench_events_consumed_total\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} [1-9]\d*$/m,
  /^eventbench_target_events_per_second\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} 200$/m,
  /^# TYPE eventbench_latency_seconds histogram$/m,
  /^eventbench_latency_seconds_bucket\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady",kind="publish",le="0\.001"\} \d/m,
  /^eventbench_latency_seconds_bucket\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady",kind="e2e",le="\+Inf"\} [1-9]\d*$/m,
  /^eventbench_latency_seconds_count\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady",kind="publish"\} [1-9]\d*$/m,
  /^eventbench_consumer_lag_events\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} \d/m,
  /^eventbench_harness_nodejs_eventloop_lag_seconds \d/m,
  /^eventbench_harness_thread_event_loop_delay_seconds\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} \d/m,
  /^eventbench_harness_schedule_delay_seconds\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} \d/m,
];

it("--metrics-port serves the run's throughput, latency quantiles and lag to Prometheus while it goes", async () => {
  const port = await freePort();
  let scrape = "";
  const outcome = await runCli(["run", "--workload", "publish-consume", "--adapter", "memory", "--rate", "200", "--duration", "4s", "--metrics-port", String(port), "--run-id", "metrics", "--out", await tempDir("metrics")], {
    whileRunning: (child) => {
      child.stdout?.on("data", (d: Buffer) => {
        // scrape once the steady state has produced a plain progress line
        if (!scrape && /steady 6\//.test(d.toString())) {
          void fetch(`http://127.0.0.1:${port}/metrics`).then(async (r) => (scrape = await r.text()));
        }
      });
    },
  });
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.ok(scrape, "scraped during the run");
  for (const pattern of EXPECTED) assert.match(scrape, pattern);
  assertDashboardsQueryWhatIsExported(scrape);
  assertPublishHistogramCountsTheAcked(scrape);
  assertPromtoolAccepts(scrape);
});

/** Prometheus's own linter (promtool ships with Debian's prometheus package, which .ci/run installs). */
function assertPromtoolAccepts(scrape: string): void {
  const check = spawnSync("promtool", ["check", "metrics"], { input: scrape, encoding: "utf8" });
  assert.ok(!check.error, `promtool is not on PATH (apt-get install prometheus): ${check.error?.message}`);
  assert.equal(check.status, 0, `promtool check metrics:\n${check.stdout}${check.stderr}`);
}

/** Every acknowledged event's publish latency is in the histogram (the two counters are rounded per interval). */
function assertPublishHistogramCountsTheAcked(scrape: string): void {
  const value = (re: RegExp) => Number(re.exec(scrape)?.[1]);
  const count = value(/^eventbench_latency_seconds_count\{[^}]*kind="publish"\} (\d+)$/m);
  const acked = value(/^eventbench_events_acked_total\{[^}]*\} (\d+)$/m);
  assert.ok(Math.abs(count - acked) <= Math.max(5, acked * 0.02), `publish latencies counted ${count}, events acknowledged ${acked}`);
}

/** Every metric, and every label a selector or label_values() uses, appears in the scrape. */
function assertDashboardsQueryWhatIsExported(scrape: string): void {
  const samples = scrape.split("\n").filter((l) => l && !l.startsWith("#"));
  const linesOf = (metric: string) => samples.filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `));
  for (const expr of dashboardQueries()) {
    const uses: { metric: string; labels: string[] }[] = [];
    for (const m of expr.matchAll(/(eventbench_[a-z0-9_]+)(\{([^}]*)\})?/g)) {
      uses.push({ metric: m[1] as string, labels: [...(m[3] ?? "").matchAll(/(\w+)\s*!?=~?/g)].map((l) => l[1] as string) });
    }
    for (const m of expr.matchAll(/label_values\((eventbench_[a-z0-9_]+),\s*(\w+)\)/g)) uses.push({ metric: m[1] as string, labels: [m[2] as string] });
    assert.ok(uses.length > 0, `query names no eventbench metric: ${expr}`);
    for (const { metric, labels } of uses) {
      const lines = linesOf(metric);
      assert.ok(lines.length > 0, `dashboard query uses ${metric}, which the harness does not export: ${expr}`);
      for (const label of labels) assert.ok(lines.some((l) => l.includes(`${label}="`)), `${metric} has no label ${label} (query: ${expr})`);
    }
  }
}
