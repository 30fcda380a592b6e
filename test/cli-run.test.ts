import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readValidatedResult } from "./support/result-validator.js";
import { portOpen, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

describe("eventbench run on a native redis-server", () => {
  it("runs open-loop at the asked rate, writes a valid result.json whose delivery counts add up, and stops the server", async () => {
    const out = await tempDir("cli");
    const outcome = await runCli(["run", "--workload", "publish-consume", "--adapter", "redis-streams", "--rate", "500", "--duration", "3s", "--env", "native", "--out", out, "--run-id", "e2e"]);
    assert.equal(outcome.code, 0, `exit 0 expected\n${outcome.stdout}\n${outcome.stderr}`);
    assert.match(outcome.stdout, /redis-streams steady .*rate .*publish p99 .*e2e p99 .*lag /, "progress line with rate, p99s and lag");
    assert.match(outcome.stdout, /publish p50\/p99\/p99\.9\/max/, "summary table");

    const runDir = join(out, "e2e");
    const result = await readValidatedResult(runDir);
    assert.equal(result.status, "passed");
    const [entry] = result.runs;
    assert.ok(entry);
    assert.equal(entry.adapter, "redis-streams");
    assert.equal(entry.mode, "open-loop");
    const d = entry.delivery;
    assert.ok(d.sent > 0);
    assert.equal(d.acked, d.sent, "every event acknowledged");
    assert.equal(d.consumed, d.sent * entry.settings.consumerGroups, "every event consumed by the group");
    assert.equal(d.lost, 0);
    assert.equal(d.duplicated, 0);
    // the quickstart warms up 2 s at the same rate: the schedule holds rate × (warm-up + duration)
    assert.equal(d.sent, 500 * (entry.settings.warmupS + entry.settings.durationS));
    assert.ok(Math.abs(entry.throughput.acked - 500) < 50, `achieved ≈ target (got ${entry.throughput.acked}/s)`);
    assert.ok(entry.latency.publish.count > 0 && entry.latency.endToEnd.count > 0);
    assert.ok(entry.latency.endToEnd.p50 >= entry.latency.publish.p50 * 0.5, "e2e is measured from the same intended time");
    assert.ok(entry.timeseries.filter((p) => p.phase === "steady").length >= 3, "one point per second");
    assert.match(entry.system.server, /^redis \d/);
    assert.ok(entry.histograms.publish?.startsWith("HISTFAAA"), "encoded HdrHistogram kept for later merges");

    const [service] = result.environment.services;
    assert.ok(service && service.log, "server log captured in the run folder");
    const port = Number(new URL(service.endpoint).port);
    assert.equal(await portOpen(port), false, "the redis-server eventbench started is stopped");
    assert.match(await readFile(service.log, "utf8"), /Ready to accept connections/);

    // The run ends by writing its report, summary and JUnit file, and says where the report is.
    assert.ok(outcome.stdout.includes(`report: ${join(runDir, "report.html")}`), "prints where the report is");
    assert.match(await readFile(join(runDir, "report.html"), "utf8"), /<title>eventbench: quickstart<\/title>/);
    assert.match(await readFile(join(runDir, "summary.md"), "utf8"), /redis-streams \| passed/);
    assert.match(await readFile(join(runDir, "junit.xml"), "utf8"), /<testcase classname="eventbench\.redis-streams\.steady" name="lost count==0"\/>/);
  });
});
