import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { eventbenchCacheDir } from "../harness/environment/cache-dir.js";
import { REPO_ROOT, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

const WORKFLOW = join(REPO_ROOT, ".github", "workflows", "perf.yml");

/** actionlint from PATH, $ACTIONLINT, or where `go install` puts it (`.ci/run` does that). */
function actionlint(): string {
  if (process.env.ACTIONLINT) return process.env.ACTIONLINT;
  if (spawnSync("actionlint", ["-version"]).status === 0) return "actionlint";
  const fromGo = join(execFileSync("go", ["env", "GOPATH"], { encoding: "utf8" }).trim(), "bin", "actionlint");
  assert.ok(existsSync(fromGo), "actionlint not found: `go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.7` (bash .ci/run does it)");
  return fromGo;
}

describe(".github/workflows/perf.yml", () => {
  it("passes actionlint, which does reject a broken copy", async () => {
    const good = spawnSync(actionlint(), [WORKFLOW], { encoding: "utf8" });
    assert.equal(good.status, 0, good.stdout + good.stderr);
    const broken = join(await tempDir("workflow"), "perf.yml");
    await writeFile(broken, (await readFile(WORKFLOW, "utf8")).replace("runs-on:", "runs-onn:"));
    const bad = spawnSync(actionlint(), [broken], { encoding: "utf8" });
    assert.notEqual(bad.status, 0, "actionlint must catch the typo");
  });

  it("runs on a schedule and by hand, runs eventbench ci with flags the CLI accepts, and keeps summary and results", async () => {
    const wf = parse(await readFile(WORKFLOW, "utf8")) as { on: Record<string, unknown>; jobs: { ci: { steps: { run?: string; uses?: string; with?: Record<string, string> }[] } } };
    assert.ok(wf.on.schedule && "workflow_dispatch" in wf.on);
    const steps = wf.jobs.ci.steps;
    const script = steps.map((s) => s.run ?? "").join("\n");
    assert.match(script, /eventbench\.js "\$\{args\[@\]\}"/);
    assert.match(script, /GITHUB_STEP_SUMMARY/);
    assert.ok(steps.some((s) => s.uses?.startsWith("actions/upload-artifact") && s.with?.path === "results/"));
    const help = await runCli(["ci", "--help"]);
    for (const flag of script.match(/--[a-z-]+/g) ?? []) assert.ok(help.stdout.includes(flag), `eventbench ci has no ${flag}`);
  });

  it("caches ~/.cache/eventbench keyed on the folders `env downloads` names, before `env prepare` fills them", async () => {
    const wf = parse(await readFile(WORKFLOW, "utf8")) as { jobs: { ci: { steps: { id?: string; run?: string; uses?: string; with?: Record<string, string> }[] } } };
    const steps = wf.jobs.ci.steps;
    const naming = steps.findIndex((s) => s.run?.includes("eventbench.js env downloads") && s.run.includes("GITHUB_OUTPUT"));
    const cache = steps.findIndex((s) => s.uses?.startsWith("actions/cache@"));
    const prepare = steps.findIndex((s) => s.run?.includes("eventbench.js env prepare"));
    assert.ok(naming >= 0 && cache > naming && prepare > cache, "steps in order: name the downloads, restore the cache, env prepare");
    assert.equal(steps[cache]?.with?.path, "~/.cache/eventbench");
    assert.ok(steps[cache]?.with?.key?.includes(`steps.${steps[naming]?.id}.outputs.key`), "the cache key is the named downloads");

    // What it names is what `env prepare` (run by .ci/run before the tests) put in the cache here.
    const downloads = await runCli(["env", "downloads"]);
    assert.equal(downloads.code, 0, downloads.stderr);
    const folders = downloads.stdout.trim().split("\n");
    assert.ok(folders.some((f) => /^kafka-\d/.test(f)) && folders.some((f) => /^toxiproxy-\d/.test(f)), downloads.stdout);
    for (const folder of folders) assert.ok(existsSync(join(eventbenchCacheDir(), folder)), `${folder} is not in ${eventbenchCacheDir()}: env downloads names a folder env prepare does not fill`);
  });
});
