import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunEntryResult, RunResult } from "../../harness/result/result-schema.js";
import { readValidatedResult } from "./result-validator.js";
import { runCli } from "./run-cli.js";
import { tempDir } from "./temp-dir.js";

/**
 * Writes `yaml` as a scenario file in a new temporary folder, runs it on `adapter` with the native
 * provider through the real CLI, asserts it exited 0, and answers the validated result with a
 * look-up of its entries by scenario name.
 */
export async function runScenarioOn(adapter: string, name: string, yaml: string, timeoutMs: number): Promise<{ result: RunResult; entry: (scenario: string) => RunEntryResult }> {
  const dir = await tempDir(name);
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, yaml);
  const outcome = await runCli(["run", "--scenario", file, "--adapter", adapter, "--env", "native", "--out", dir, "--run-id", "r"], { timeoutMs });
  assert.equal(outcome.code, 0, `${outcome.stdout}\n${outcome.stderr}`);
  const result = await readValidatedResult(join(dir, "r"));
  const entry = (scenario: string): RunEntryResult => {
    const found = result.runs.find((r) => r.scenario === scenario);
    assert.ok(found, `the result has an entry for scenario ${scenario}`);
    return found;
  };
  return { result, entry };
}
