import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { readValidatedResult } from "./support/result-validator.js";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

const run = promisify(execFile);

/** HdrHistogram's own Java library, the reference implementation of the .hlog format. */
const HDR_HISTOGRAM = "org.hdrhistogram:HdrHistogram:2.2.2";
const HDR_JAR = join(homedir(), ".m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar");

/** The jar from the local Maven repository, resolved from Maven Central on first use (as Kafka's jars are). */
async function hdrHistogramJar(): Promise<string> {
  if (!existsSync(HDR_JAR)) await run("mvn", ["-q", "-B", "dependency:get", `-Dartifact=${HDR_HISTOGRAM}`], { timeout: 180_000 });
  return HDR_JAR;
}

/** HistogramLogProcessor with its default range (from StartTime on): how many values of `tag` (null: untagged lines, its default) it read. */
async function referenceCount(jar: string, hlog: string, tag: string | null, dir: string): Promise<number> {
  const out = join(dir, `processed-${(tag ?? "untagged").replace(/\W/g, "_")}`);
  const tagArgs = tag === null ? [] : ["-tag", tag];
  await run("java", ["-cp", jar, "org.HdrHistogram.HistogramLogProcessor", "-i", hlog, ...tagArgs, "-o", out], { timeout: 60_000 });
  const distribution = await readFile(`${out}.hgrm`, "utf8");
  const total = /Total count\s*=\s*(\d+)/.exec(distribution);
  assert.ok(total, `HistogramLogProcessor printed a total count for ${tag}:\n${distribution}`);
  return Number(total[1]);
}

describe(".hlog interval logs read by HdrHistogram's reference reader", { timeout: 240_000 }, () => {
  it("Java's HistogramLogProcessor reads every interval with its default options: StartTime and BaseTime are t0, the first interval starts there, untagged lines hold end-to-end latency", async () => {
    const dir = await tempDir("hlog");
    const scenario = join(dir, "scenario.yaml");
    // A warm-up, so the log holds intervals of both phases (result.json keeps them apart).
    await writeFile(scenario, "scenarios:\n  short:\n    executor: constant-arrival-rate\n    rate: 200\n    duration: 2s\n    warmup: 1s\n");
    const [jar, outcome] = await Promise.all([
      hdrHistogramJar(),
      runCli(["run", "--scenario", scenario, "--adapter", "memory", "--env", "native", "--out", dir, "--run-id", "r"]),
    ]);
    assert.equal(outcome.code, 0, `${outcome.stdout}\n${outcome.stderr}`);
    const entry = (await readValidatedResult(join(dir, "r"))).runs[0];
    assert.ok(entry?.t0, "the entry records its t0");
    const hlog = join(dir, "r", "memory-short.hlog");
    const text = await readFile(hlog, "utf8");

    const t0S = (Date.parse(entry.t0) / 1000).toFixed(3);
    assert.equal(/^#\[StartTime: ([\d.]+) /m.exec(text)?.[1], t0S, "StartTime is the entry's t0");
    assert.equal(/^#\[BaseTime: ([\d.]+) /m.exec(text)?.[1], t0S, "BaseTime is the entry's t0: timestamps are seconds since t0");
    const starts = [...text.matchAll(/^(?:Tag=[^,]+,)?(-?[\d.]+),[\d.]+,[\d.]+,HIST/gm)].map((m) => Number(m[1]));
    assert.equal(Math.min(...starts), 0, "no interval starts before t0");

    // Every acknowledged append has a publish latency and every receipt an end-to-end one: the
    // reference reader, with no -start, counts them all (warm-up, steady state and drain).
    assert.equal(await referenceCount(jar, hlog, "publish", dir), entry.delivery.acked);
    assert.equal(await referenceCount(jar, hlog, "e2e:group-1", dir), entry.delivery.byGroup["group-1"]?.consumed);
    // With no -tag it reads the untagged lines: every group's end-to-end latency.
    assert.equal(await referenceCount(jar, hlog, null, dir), entry.delivery.consumed);
  });
});
