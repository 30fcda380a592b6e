import assert from "node:assert/strict";
import { it } from "node:test";
import { freePort } from "../harness/environment/free-port.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/** What a scrape during the run must show, with the labels dashboards select on. */
const EXPECTED = [
  /^eventbench_events_sent_total\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} [1-9]\d*$/m,
  /^eventbench_events_acked_total\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} [1-9]\d*$/m,
  /^eventbench_events_consumed_total\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} [1-9]\d*$/m,
  /^eventbench_target_rate\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} 200$/m,
  /^eventbench_latency_seconds\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady",kind="publish",quantile="0\.99"\} \d/m,
  /^eventbench_latency_seconds\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady",kind="e2e",quantile="0\.5"\} \d/m,
  /^eventbench_consumer_lag_events\{run="metrics",adapter="memory",workload="publish-consume",scenario="steady"\} \d/m,
  /^eventbench_harness_nodejs_eventloop_lag_seconds \d/m,
];

it("--metrics-port serves the run's throughput, latency quantiles and lag to Prometheus while it goes", async () => {
  const port = await freePort();
  let scrape = "";
  const outcome = await runCli(["run", "--adapter", "memory", "--rate", "200", "--duration", "4s", "--metrics-port", String(port), "--run-id", "metrics", "--out", await tempDir("metrics")], {
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
});
