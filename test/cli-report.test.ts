import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { REPO_ROOT, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

const FIXTURE = join(REPO_ROOT, "results", "example");
let dir: string;

/** A copy of the fixture whose steady publish p99 per second tripled: a real regression. */
async function slowerCopy(name: string): Promise<string> {
  const target = join(dir, name);
  await mkdir(target, { recursive: true });
  const result = JSON.parse(await readFile(join(FIXTURE, "result.json"), "utf8")) as { runId: string; runs: { timeseries: { publishP99: number | null }[] }[] };
  result.runId = name;
  for (const e of result.runs) for (const p of e.timeseries) if (p.publishP99 !== null) p.publishP99 *= 3;
  await writeFile(join(target, "result.json"), JSON.stringify(result));
  return target;
}

/** A copy of the fixture with its two adapters renamed, each entry recording the client given. */
async function renamedCopy(name: string, names: Record<string, { adapter: string; client: string }>): Promise<string> {
  const target = join(dir, name);
  await mkdir(target, { recursive: true });
  const result = JSON.parse(await readFile(join(FIXTURE, "result.json"), "utf8")) as { runId: string; runs: { adapter: string; system: { client: string } }[] };
  result.runId = name;
  for (const e of result.runs) {
    const to = names[e.adapter];
    if (!to) throw new Error(`the fixture has an adapter ${e.adapter} this test does not rename`);
    e.adapter = to.adapter;
    e.system.client = to.client;
  }
  await writeFile(join(target, "result.json"), JSON.stringify(result));
  return target;
}

describe("eventbench report and compare", () => {
  before(async () => {
    dir = await tempDir("report-cli");
    await cp(FIXTURE, join(dir, "base"), { recursive: true });
  });

  it("report writes report.html, summary.md and junit.xml into the run folder", async () => {
    const outcome = await runCli(["report", join(dir, "base")]);
    assert.equal(outcome.code, 0, outcome.stderr);
    for (const f of ["report.html", "summary.md", "junit.xml"]) assert.ok(existsSync(join(dir, "base", f)), f);
    assert.match(outcome.stdout, /report: .*report\.html/);
  });

  it("compare of a run with itself finds no regression (exit 0)", async () => {
    const outcome = await runCli(["compare", join(dir, "base"), join(dir, "base")]);
    assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /0 regression\(s\)/);
  });

  it("compare exits 1 on a regression beyond tolerance and names the metric", async () => {
    const slower = await slowerCopy("slower");
    const outcome = await runCli(["compare", join(dir, "base"), slower]);
    assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /publish p99 \(ms\).*regression/);
    assert.doesNotMatch(outcome.stdout, /publish p50 \(ms\).*regression/);
  });

  it("a tolerance wider than the change keeps it within the noise", async () => {
    const outcome = await runCli(["compare", join(dir, "base"), join(dir, "slower"), "--tolerance", "5"]);
    assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
  });

  it("report --baseline puts the comparison in the report and exits 1 on the regression", async () => {
    const outcome = await runCli(["report", join(dir, "slower"), "--baseline", join(dir, "base")]);
    assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
    assert.match(await readFile(join(dir, "slower", "report.html"), "utf8"), /Against the baseline/);
    assert.match(await readFile(join(dir, "slower", "summary.md"), "utf8"), /Against the baseline: \d+ regression/);
    assert.match(await readFile(join(dir, "slower", "junit.xml"), "utf8"), /<failure message="publish p99/);
  });

  it("a folder without result.json, or a broken one, is a usage error naming what is wrong", async () => {
    const empty = join(dir, "empty");
    await mkdir(empty);
    const missing = await runCli(["report", empty]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no result\.json here; expected the folder of a finished run/);

    const broken = join(dir, "broken");
    await mkdir(broken);
    await writeFile(join(broken, "result.json"), JSON.stringify({ schemaVersion: 1, runId: 5 }));
    const invalid = await runCli(["compare", join(dir, "base"), broken]);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /result\.json: runId: .*expected result\.json version 1/);

    const badTolerance = await runCli(["compare", join(dir, "base"), join(dir, "base"), "--tolerance", "-1"]);
    assert.equal(badTolerance.code, 2);
    assert.match(badTolerance.stderr, /--tolerance expects a number above 0/);
  });

  it("reads a result written under the old Kafka adapter names under today's: kafka-platformatic is kafka, kafka (kafkajs) is kafkajs", async () => {
    const old = await renamedCopy("old-names", {
      memory: { adapter: "kafka-platformatic", client: "@platformatic/kafka 1.35.0" },
      "redis-streams": { adapter: "kafka", client: "kafkajs 2.2.4" },
    });
    const today = await renamedCopy("new-names", {
      memory: { adapter: "kafka", client: "@platformatic/kafka 2.12.1" },
      "redis-streams": { adapter: "kafkajs", client: "kafkajs 2.2.4" },
    });
    const compared = await runCli(["compare", old, today]);
    assert.equal(compared.code, 0, compared.stdout + compared.stderr);
    assert.match(compared.stdout, /0 regression\(s\)/);
    assert.doesNotMatch(compared.stdout + compared.stderr, /kafka-platformatic|only in|missing/);
    assert.match(compared.stdout, /kafkajs/);

    const reported = await runCli(["report", old]);
    assert.equal(reported.code, 0, reported.stderr);
    const html = await readFile(join(old, "report.html"), "utf8");
    assert.match(html, /kafka: [^<]*client @platformatic\/kafka 1\.35\.0/);
    assert.match(html, /kafkajs: [^<]*client kafkajs 2\.2\.4/);
    assert.doesNotMatch(html, /kafka-platformatic:/);
  });
});
