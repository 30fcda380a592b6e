import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { writeGeneratedBlock } from "./benchmarks-doc.js";

describe("bench figures written into BENCHMARKS.md", () => {
  it("replaces only its own block, keeping the hand-written reading around it", async () => {
    const doc = join(await mkdtemp(join(tmpdir(), "bench-doc-")), "BENCHMARKS.md");
    await writeFile(doc, "# B\n\nintro\n<!-- x:begin -->\nold figures\n<!-- x:end -->\n\nreading\n<!-- y:begin -->\nother\n<!-- y:end -->\n");
    await writeGeneratedBlock("x", "| new | figures |\n", doc);
    assert.equal(await readFile(doc, "utf8"), "# B\n\nintro\n<!-- x:begin -->\n| new | figures |\n<!-- x:end -->\n\nreading\n<!-- y:begin -->\nother\n<!-- y:end -->\n");
    await assert.rejects(writeGeneratedBlock("z", "a", doc), /has no block <!-- z:begin --> … <!-- z:end -->/);
  });
});
