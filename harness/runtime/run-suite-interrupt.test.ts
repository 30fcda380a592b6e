import assert from "node:assert/strict";
import { it } from "node:test";
import { tempDir } from "../../test/support/temp-dir.js";
import { validateScenario } from "../scenario/load-scenario.js";
import { resolvePlan } from "../scenario/run-plan.js";
import { runSuite } from "./run-suite.js";

const file = validateScenario({ scenarios: { only: { executor: "constant-arrival-rate", rate: 20, duration: "1s" } } }, "one.yaml");

it("a stop after the last entry finished cuts nothing short: the run is complete, not incomplete", async () => {
  const abort = new AbortController();
  const result = await runSuite({
    plan: resolvePlan(file, "one.yaml", { adapters: ["memory"] }),
    runId: "after-the-end",
    runDir: await tempDir("suite-stop"),
    signal: abort.signal,
    hooks: { note: () => {}, onInterval: () => {}, onEntryEnd: () => abort.abort() },
  });
  assert.equal(result.runs.length, 1);
  assert.equal(result.interrupted, false);
  assert.notEqual(result.status, "incomplete");
});
