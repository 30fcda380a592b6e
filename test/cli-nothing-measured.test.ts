import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { it } from "node:test";
import { REPO_ROOT, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/** Nothing measured is never a pass. */
it("compare of two runs with no entry in common exits 1 saying nothing was compared", async () => {
  const out = await tempDir("nothing-common");
  const scenario = join(REPO_ROOT, "test", "support", "one-second-memory.yaml");
  const other = join(out, "other.yaml");
  await writeFile(other, (await readFile(scenario, "utf8")).replace("  short:", "  other:"));
  for (const [id, file] of [["a", scenario], ["b", other]] as const) {
    const run = await runCli(["run", "--scenario", file, "--adapter", "memory", "--out", out, "--run-id", id]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  }
  const compared = await runCli(["compare", join(out, "a"), join(out, "b")]);
  assert.equal(compared.code, 1, compared.stdout + compared.stderr);
  assert.match(compared.stderr, /no entry \(adapter and scenario\) in common: nothing was compared/);
});

it("an entry that sent nothing (--duration 1ms) is an error, not a pass of its count-only thresholds", async () => {
  const out = await tempDir("nothing-sent");
  const scenario = join(REPO_ROOT, "test", "support", "one-second-memory.yaml");
  const run = await runCli(["run", "--scenario", scenario, "--adapter", "memory", "--duration", "1ms", "--warmup", "0s", "--out", out, "--run-id", "r"]);
  assert.notEqual(run.code, 0, run.stdout + run.stderr);
  const result = JSON.parse(await readFile(join(out, "r", "result.json"), "utf8")) as { status: string; runs: { status: string; error?: string }[] };
  assert.equal(result.status, "error");
  assert.match(result.runs[0]?.error ?? "", /nothing measured/);
});
