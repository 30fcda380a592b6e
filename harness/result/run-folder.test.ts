import assert from "node:assert/strict";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tempDir } from "../../test/support/temp-dir.js";
import { ConfigError } from "../errors/errors.js";
import { checkRunId, createRunFolder } from "./run-folder.js";

describe("run ids name one folder under --out", () => {
  for (const id of ["..", ".", "../x", "a/b", "a\\b", ".hidden", "", "x".repeat(300)]) {
    it(`refuses ${JSON.stringify(id.length > 20 ? `${id.slice(0, 10)}… (${id.length})` : id)}`, () => {
      assert.throws(() => checkRunId(id), (e: unknown) => e instanceof ConfigError && e.where === "--run-id");
    });
  }
  it("accepts a generated-looking id", () => assert.equal(checkRunId("20261202-2030-ab12.rerun_1"), "20261202-2030-ab12.rerun_1"));
});

describe("createRunFolder", () => {
  it("creates --out and the run folder, and refuses the same id a second time", async () => {
    const out = join(await tempDir("run-folder"), "deep", "out");
    const dir = await createRunFolder(out, "r1");
    assert.deepEqual(await readdir(out), ["r1"]);
    await writeFile(join(dir, "result.json"), "{}");
    await assert.rejects(createRunFolder(out, "r1"), (e: unknown) => e instanceof ConfigError && /exists already/.test(e.message));
    assert.deepEqual(await readdir(dir), ["result.json"], "the first run's folder is untouched");
  });

  it("refuses a file as --out", async () => {
    const file = join(await tempDir("run-folder"), "a-file");
    await writeFile(file, "x");
    await assert.rejects(createRunFolder(file, "r"), (e: unknown) => e instanceof ConfigError && e.where === "--out" && /is a file/.test(e.message));
    await assert.rejects(createRunFolder(join(file, "below"), "r"), (e: unknown) => e instanceof ConfigError && e.where === "--out");
  });

  it("gives up at once where folders cannot be made (/proc), where a recursive mkdir spun", { skip: process.platform !== "linux" }, async () => {
    const started = Date.now();
    await assert.rejects(createRunFolder("/proc/1", "r"), (e: unknown) => e instanceof ConfigError && e.where === "--out");
    await assert.rejects(createRunFolder("/proc/1/x/y", "r"), (e: unknown) => e instanceof ConfigError && e.where === "--out");
    assert.ok(Date.now() - started < 5_000);
  });

  it("names a folder that exists but is not this run's", async () => {
    const out = await tempDir("run-folder");
    await mkdir(join(out, "taken"));
    await assert.rejects(createRunFolder(out, "taken"), /taken exists already \(a run with this id\)/);
  });
});
