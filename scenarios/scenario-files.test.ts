import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import { listScenarioFiles, SCENARIO_DIR } from "../harness/cli/scenario-files.js";
import { checkPlan } from "../harness/runtime/run-suite.js";
import { loadScenarioFile } from "../harness/scenario/load-scenario.js";
import { resolvePlan } from "../harness/scenario/run-plan.js";
import { workloads } from "./workloads/workload-registry.js";

const DIR = SCENARIO_DIR;

it("every ready scenario file validates, resolves and passes the capability check", async () => {
  const files = await listScenarioFiles();
  for (const expected of ["quickstart", "ci", "soak", "seed-claims"]) assert.ok(files.includes(`scenarios/${expected}.yaml`), expected);
  for (const f of files) {
    const plan = resolvePlan(await loadScenarioFile(join(DIR, "..", f)), f, {});
    await checkPlan(plan);
  }
});

it("the quickstart runs every workload", async () => {
  const plan = resolvePlan(await loadScenarioFile(join(DIR, "quickstart.yaml")), "scenarios/quickstart.yaml", {});
  assert.deepEqual(new Set(plan.workloads.map((w) => w.workload)), new Set(Object.keys(workloads)));
});
