import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

async function runThreaded(adapter: string, scenario: string) {
  const out = await tempDir("threads");
  const file = join(out, "threads.yaml");
  await writeFile(file, scenario);
  const outcome = await runCli(["run", "-s", file, "-a", adapter, "--env", "native", "--out", out, "--run-id", "t"]);
  assert.equal(outcome.code, 0, `exit 0 expected\n${outcome.stdout}\n${outcome.stderr}`);
  const result = await readValidatedResult(join(out, "t"));
  const [entry] = result.runs;
  assert.ok(entry);
  return { entry, stdout: outcome.stdout };
}

describe("producers and consumers spread over worker threads", () => {
  it("redis-streams, 2 producer and 2 consumer threads: every event verified once, the threads and the harness's memory recorded", async () => {
    const { entry, stdout } = await runThreaded(
      "redis-streams",
      `scenarios:
  spread:
    executor: constant-arrival-rate
    rate: 1000
    duration: 3s
    producers: 4
    consumerGroups: 2
    consumersPerGroup: 2
    threads: { producers: 2, consumers: 2 }
`,
    );
    const d = entry.delivery;
    assert.equal(d.sent, 3000);
    assert.equal(d.acked, 3000);
    assert.equal(d.consumed, 6000, "both groups received every event, across their members' threads");
    assert.deepEqual([d.lost, d.duplicated], [0, 0]);
    // Redis hands a group's next entries to whichever member reads next, so one key's events
    // handled by two members (here on two threads) can be received out of order: that is the
    // system's behaviour, measured (0 to 56 of 6000 seen here under load), not the harness's.
    // receipt-order.test.ts checks the merge of the threads' receipts exactly.
    assert.ok(d.outOfOrder >= 0 && d.outOfOrder < d.consumed, `out of order counted (${d.outOfOrder})`);
    assert.deepEqual(entry.settings.threads, { producers: 2, consumers: 2 });
    const rss = entry.harness.rssMiB;
    assert.ok(rss && rss.start > 0 && rss.max >= rss.end && rss.max >= rss.start, `harness RSS recorded: ${JSON.stringify(rss)}`);
    assert.ok(entry.timeseries.every((p) => (p.rssMiB ?? 0) > 0), "RSS sampled every interval");
    assert.match(stdout, /redis-streams spread: harness 2 producer \/ 2 consumer thread\(s\), RSS \d+ → \d+ MiB/);
    assert.match(stdout, /redis-streams spread .* lag .* rss \d+ MiB/, "the live line shows the harness's memory");
  });

  it("memory, 2 producer threads: each thread's stream is consumed whole, lag adds up over the threads", async () => {
    const { entry } = await runThreaded(
      "memory",
      `scenarios:
  spread:
    executor: constant-arrival-rate
    rate: 20000
    duration: 2s
    producers: 2
    batchSize: 10
    threads: { producers: 2 }
`,
    );
    const d = entry.delivery;
    assert.equal(d.sent, 40_000);
    assert.equal(d.consumed, 40_000);
    assert.deepEqual([d.lost, d.duplicated, d.outOfOrder], [0, 0, 0]);
    assert.ok(entry.timeseries.some((p) => p.lagEvents !== null), "lag sampled from both threads' streams");
  });
});
