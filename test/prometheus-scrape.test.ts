import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { it } from "node:test";
import { latencyQuantile } from "../dashboards/dashboard-parts.js";
import { freePort } from "../harness/environment/free-port.js";
import { NativeProcess } from "../harness/environment/native/native-process.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

const havePrometheus = (() => {
  try {
    execFileSync("prometheus", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/**
 * The overview dashboard's throughput query, with its variables as Grafana would fill them; the
 * range stays inside the series' life, as $__rate_interval does on a dashboard of a live run.
 */
const OVERVIEW_QUERY = 'sum by (adapter) (rate(eventbench_events_acked_total{run=~"prom", adapter=~".*", workload=~".*"}[4s]))';
/** The overview's publish p99, from the latency histogram's buckets, filled the same way. */
const P99_QUERY = latencyQuantile(0.99, "publish", ["adapter"])
  .replace("$run", "prom")
  .replace("$adapter", ".*")
  .replace("$workload", ".*")
  .replace("$__rate_interval", "4s");

it(
  "a real Prometheus scrapes a run and answers the overview dashboard's throughput and p99 queries",
  { skip: !havePrometheus && "prometheus is not on PATH (apt-get install prometheus; .ci/run installs it)", timeout: 90_000 },
  async () => {
    const dir = await tempDir("prometheus");
    const [metricsPort, prometheusPort] = [await freePort(), await freePort()];
    const config = join(dir, "prometheus.yml");
    await writeFile(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: eventbench\n    static_configs:\n      - targets: ["127.0.0.1:${metricsPort}"]\n`);
    const prometheus = new NativeProcess({
      label: "prometheus",
      command: "prometheus",
      args: [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${prometheusPort}`],
      logFile: join(dir, "prometheus.log"),
    });
    const api = `http://127.0.0.1:${prometheusPort}/api/v1`;
    try {
      await prometheus.waitUntilReady(async () => (await fetch(`http://127.0.0.1:${prometheusPort}/-/ready`)).ok, 30_000);
      let midRun = 0;
      const outcome = await runCli(["run", "--workload", "publish-consume", "--adapter", "memory", "--rate", "300", "--duration", "6s", "--metrics-port", String(metricsPort), "--run-id", "prom", "--out", dir], {
        whileRunning: (child) =>
          child.stdout?.on("data", (d: Buffer) => {
            if (!midRun && /steady 6\//.test(d.toString())) midRun = Date.now() / 1000 + 4;
          }),
      });
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.ok(midRun > 0, "the run reached its steady state");
      const answer = (await (await fetch(`${api}/query?query=${encodeURIComponent(OVERVIEW_QUERY)}&time=${midRun}`)).json()) as {
        status: string;
        data: { result: { metric: { adapter: string }; value: [number, string] }[] };
      };
      assert.equal(answer.status, "success");
      const [series] = answer.data.result;
      assert.equal(series?.metric.adapter, "memory");
      assert.ok(Math.abs(Number(series?.value[1]) - 300) < 60, `acknowledged rate ≈ 300/s as Prometheus computes it (got ${series?.value[1]})`);
      const p99 = (await (await fetch(`${api}/query?query=${encodeURIComponent(P99_QUERY)}&time=${midRun}`)).json()) as typeof answer;
      const [latency] = p99.data.result;
      assert.equal(latency?.metric.adapter, "memory", JSON.stringify(p99));
      const seconds = Number(latency?.value[1]);
      assert.ok(seconds > 0 && seconds < 60, `histogram_quantile answers the publish p99 from the buckets (got ${latency?.value[1]} s)`);
    } finally {
      await prometheus.stop();
    }
  },
);
