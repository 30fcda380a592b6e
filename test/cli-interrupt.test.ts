import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import { readValidatedResult } from "./support/result-validator.js";
import { portOpen, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

it("Ctrl-C mid-run writes what was measured, marked incomplete, and stops the server it started", async () => {
  const out = await tempDir("int");
  let signalledAt = 0;
  const outcome = await runCli(["run", "--workload", "publish-consume", "--adapter", "redis-streams", "--rate", "300", "--duration", "60s", "--env", "native", "--out", out, "--run-id", "int"], {
    whileRunning: (child) => {
      // Interrupt mid-measurement (plain progress lines come every 5 s off a terminal).
      child.stdout?.on("data", (d: Buffer) => {
        if (!signalledAt && /steady 6\//.test(d.toString())) {
          signalledAt = Date.now();
          child.kill("SIGINT");
        }
      });
    },
  });
  assert.ok(signalledAt > 0, `the run produced progress before the interrupt\n${outcome.stdout}\n${outcome.stderr}`);
  assert.equal(outcome.code, 1, "an incomplete run does not exit 0");
  assert.match(outcome.stderr, /SIGINT: stopping the load/);
  const result = await readValidatedResult(join(out, "int"));
  assert.equal(result.interrupted, true);
  assert.equal(result.status, "incomplete");
  const [entry] = result.runs;
  assert.ok(entry);
  assert.equal(entry.status, "incomplete");
  assert.ok(entry.delivery.acked > 0 && entry.latency.publish.count > 0, "what was measured before the interrupt is kept");
  assert.equal(entry.delivery.lost, 0, "a short drain lets events in flight arrive: an interrupt is not a loss");
  const [service] = result.environment.services;
  assert.ok(service);
  assert.equal(await portOpen(Number(new URL(service.endpoint).port)), false, "server stopped");
});
