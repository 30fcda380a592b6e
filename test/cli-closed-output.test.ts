import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { it } from "node:test";
import { readValidatedResult } from "./support/result-validator.js";
import { CLI, REPO_ROOT } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * `eventbench run … | head` and `… 2>&1 | head`: the reader goes away after the first lines. The
 * run must go on to its end, write its result and exit as it would have (here 0), in bounded time.
 */
async function runWithReaderGone(close: "stdout" | "both", out: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, "run", "--workload", "publish-consume", "--adapter", "memory", "--rate", "200", "--duration", "3s", "--out", out, "--run-id", "piped"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Like `head -1`: read the first chunk, then close the pipe while the run still writes to it.
  child.stdout.once("data", () => child.stdout.destroy());
  if (close === "both") child.stderr.once("data", () => child.stderr.destroy());
  else child.stderr.resume();
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const [code, signal] = (await new Promise((resolve) => child.once("exit", (...a) => resolve(a)))) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, ms: Date.now() - started };
}

it("a closed stdout (| head) does not stop the run: it finishes and writes its result", async () => {
  const out = await tempDir("epipe");
  const outcome = await runWithReaderGone("stdout", out);
  assert.equal(outcome.signal, null, "not killed by the test's time limit");
  assert.equal(outcome.code, 0);
  const result = await readValidatedResult(join(out, "piped"));
  assert.equal(result.status, "passed");
  assert.ok((result.runs[0]?.delivery.acked ?? 0) > 0);
});

it("closed stdout and stderr (2>&1 | head) neither loop in the crash handler nor lose the result", async () => {
  const out = await tempDir("epipe2");
  const outcome = await runWithReaderGone("both", out);
  assert.equal(outcome.signal, null, "not killed by the test's time limit (a crash-handler loop never exits)");
  assert.equal(outcome.code, 0);
  assert.ok(outcome.ms < 45_000, `a 3 s run ended in ${outcome.ms} ms`);
  const result = await readValidatedResult(join(out, "piped"));
  assert.equal(result.status, "passed");
});
