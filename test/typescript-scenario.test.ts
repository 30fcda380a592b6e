import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { readValidatedResult } from "./support/result-validator.js";
import { REPO_ROOT, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

const EXAMPLE = join(REPO_ROOT, "scenarios", "k6-typed.ts");
const OPTIONS_TYPE = join(REPO_ROOT, "harness", "scenario", "k6-options.js");

/** Type errors of one file under the project's compiler options (as `npm run typecheck` sees it). */
function typeErrors(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(REPO_ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  assert.ok(config, "tsconfig.json parses");
  const program = ts.createProgram([file], { ...config.options, noEmit: true, incremental: false });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("a scenario written in TypeScript with k6's types", () => {
  it("the shipped example type-checks, and a wrong one does not: k6's fields and eventbench's are both checked", async () => {
    assert.deepEqual(typeErrors(EXAMPLE), []);
    const wrong = join(await tempDir("ts-scenario"), "wrong.ts");
    await writeFile(
      wrong,
      `import type { EventbenchOptions } from ${JSON.stringify(OPTIONS_TYPE)};\n` +
        `export const options: EventbenchOptions = { scenarios: {\n` +
        `  a: { executor: "constant-arrival-rate", rate: 10, duration: "1s", workload: "banana", preAllocatedVUs: 1 },\n` +
        `  b: { executor: "constant-arrival-rate", rate: 10, duration: "1s" },\n` +
        `} };\n`,
    );
    const errors = typeErrors(wrong).join("\n");
    assert.match(errors, /"banana"/, "eventbench's workload field is typed");
    assert.match(errors, /preAllocatedVUs/, "k6's own required field is typed");
  });

  it("eventbench run scenarios/k6-typed.ts runs it (types stripped) on the memory adapter, every entry passing", async () => {
    const out = await tempDir("ts-scenario-run");
    const outcome = await runCli(["run", "scenarios/k6-typed.ts", "--adapter", "memory", "--duration", "2s", "--warmup", "0s", "--out", out, "--run-id", "ts"]);
    assert.equal(outcome.code, 0, `exit 0 expected\n${outcome.stdout}\n${outcome.stderr}`);
    const result = await readValidatedResult(join(out, "ts"));
    assert.deepEqual(result.runs.map((r) => [r.scenario, r.status]), [["steady", "passed"], ["ramp", "passed"]]);
    assert.equal(result.scenario.description, "A steady open loop and a ramp, written with k6's types.");
    const ramp = result.runs.find((r) => r.scenario === "ramp");
    assert.ok(ramp && ramp.delivery.sent > 0 && ramp.delivery.lost === 0);
  });

  it("a k6 executor eventbench does not take is refused by name from a TypeScript file too (exit 2)", async () => {
    const file = join(await tempDir("ts-scenario-refused"), "iterations.ts");
    await writeFile(file, `export const options = { scenarios: { s: { executor: "shared-iterations", vus: 2, iterations: 100 } } };\n`);
    const outcome = await runCli(["plan", file]);
    assert.equal(outcome.code, 2, outcome.stderr);
    assert.match(outcome.stderr, /scenarios\.s\.executor: k6's shared-iterations is not taken: .*use constant-arrival-rate/);
  });
});
