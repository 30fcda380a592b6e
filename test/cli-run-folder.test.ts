import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/** A run's folder is its own: never overwritten, never outside --out, and a failed write is said. */
const SCENARIO = join(REPO_ROOT, "test", "support", "one-second-memory.yaml");
const memoryRun = (out: string, runId: string) => ["run", "--scenario", SCENARIO, "--adapter", "memory", "--out", out, "--run-id", runId];

describe("run folders", () => {
  it("a reused --run-id is refused (exit 2) and the first run's files are untouched", async () => {
    const out = await tempDir("reuse");
    const first = await runCli(memoryRun(out, "same"));
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const before = await readFile(join(out, "same", "result.json"), "utf8");
    const files = (await readdir(join(out, "same"))).sort();
    const second = await runCli(memoryRun(out, "same"));
    assert.equal(second.code, 2, second.stdout + second.stderr);
    assert.match(second.stderr, /--run-id: .*same exists already \(a run with this id\): choose another --run-id or remove that folder/);
    assert.equal(await readFile(join(out, "same", "result.json"), "utf8"), before);
    assert.deepEqual((await readdir(join(out, "same"))).sort(), files);
    assert.ok(!files.some((f) => f.endsWith(".partial")), `no temporary file is left: ${files.join(", ")}`);
  });

  const refusals: { name: string; out?: (dir: string) => Promise<string>; runId: string; expect: RegExp }[] = [
    { name: "--run-id ..", runId: "..", expect: /--run-id: "\.\." is not a folder name/ },
    { name: "--run-id with a slash", runId: "a/b", expect: /--run-id: "a\/b" is not a folder name/ },
    { name: "a 300-character run id", runId: "x".repeat(300), expect: /--run-id: 300 characters is too long \(at most 128\)/ },
    {
      name: "a file as --out",
      out: async (dir) => {
        await writeFile(join(dir, "f"), "x");
        return join(dir, "f");
      },
      runId: "r",
      expect: /--out: .*f is a file, not a folder/,
    },
    { name: "--out /proc/1 (a recursive mkdir spun there)", out: () => Promise.resolve("/proc/1"), runId: "r", expect: /--out: cannot create the run folder \/proc\/1\/r/ },
  ];
  for (const c of refusals) {
    it(`${c.name} exits 2 before anything starts`, async () => {
      const dir = await tempDir("refused");
      const outcome = await runCli(memoryRun(c.out ? await c.out(dir) : join(dir, "out"), c.runId), { timeoutMs: 30_000 });
      assert.equal(outcome.code, 2, outcome.stdout + outcome.stderr);
      assert.match(outcome.stderr, c.expect);
      assert.doesNotMatch(outcome.stdout, /result:/);
      if (!c.out) assert.deepEqual(await readdir(dir), [], "not even --out was created");
    });
  }

  it("merge --out onto a worker's folder is refused", async () => {
    const out = await tempDir("merge-onto");
    for (const id of ["w0", "w1"]) {
      const worker = await runCli(memoryRun(out, id));
      assert.equal(worker.code, 0, worker.stdout + worker.stderr);
    }
    const before = await readFile(join(out, "w0", "result.json"), "utf8");
    const merged = await runCli(["merge", join(out, "w0"), join(out, "w1"), "--out", out, "--run-id", "w0"]);
    assert.equal(merged.code, 2, merged.stdout + merged.stderr);
    assert.match(merged.stderr, /--out: .*w0 is one of the workers' folders being merged/);
    assert.equal(await readFile(join(out, "w0", "result.json"), "utf8"), before);
  });

  // A real full disk: a 64 KiB tmpfs, which only root can mount (CI runs as root).
  const canMount = process.platform === "linux" && process.getuid?.() === 0;
  it("a full disk fails the run naming the file, and leaves no truncated result.json", { skip: canMount ? false : "needs root to mount a small tmpfs" }, async () => {
    const disk = join(await tempDir("full"), "mnt");
    await mkdir(disk);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk]);
    let rescued: string | undefined;
    try {
      const outcome = await runCli(["run", "--scenario", SCENARIO, "--adapter", "memory", "--rate", "500", "--duration", "3s", "--out", disk, "--run-id", "full"]);
      assert.notEqual(outcome.code, 0, outcome.stdout + outcome.stderr);
      assert.match(outcome.stdout + outcome.stderr, /could not write .*full\/\S+: no space left on the device/);
      const files = await readdir(join(disk, "full"));
      if (files.includes("result.json")) JSON.parse(await readFile(join(disk, "full", "result.json"), "utf8"));
      assert.ok(!files.includes("result.json.partial"), files.join(", "));
      rescued = /what was measured is saved in (\S+) instead/.exec(outcome.stderr)?.[1];
    } finally {
      execFileSync("umount", [disk]);
      await rm(disk, { recursive: true, force: true });
      if (rescued) await rm(rescued, { recursive: true, force: true });
    }
  });

  // Root may write anywhere, but not on a file system mounted read-only.
  it("a read-only --out is refused before anything starts (exit 2), naming --out and why", { skip: canMount ? false : "needs root to mount" }, async () => {
    const disk = join(await tempDir("ro"), "mnt");
    await mkdir(disk);
    execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", disk]);
    try {
      const outcome = await runCli(memoryRun(disk, "ro"));
      assert.equal(outcome.code, 2, outcome.stdout + outcome.stderr);
      assert.match(outcome.stderr, /--out: cannot create the run folder .*mnt\/ro: the file system is read-only/);
      assert.doesNotMatch(outcome.stdout, /result:/, "nothing ran");
    } finally {
      execFileSync("umount", [disk]);
    }
  });

  it("a run folder made read-only mid-run: exit 1 naming the file, what was measured saved in a temporary folder instead", { skip: canMount ? false : "needs root to mount" }, async () => {
    const out = await tempDir("ro-later");
    const runDir = join(out, "later");
    let mounted = false;
    let rescued: string | undefined;
    try {
      const outcome = await runCli(["run", "--scenario", SCENARIO, "--adapter", "memory", "--duration", "4s", "--out", out, "--run-id", "later"], {
        whileRunning: (child) =>
          child.stdout?.on("data", (d: Buffer) => {
            if (mounted || !/short 1\//.test(d.toString())) return;
            // A read-only view of the folder over itself: files the run holds open stay writable, new ones and renames are refused.
            execFileSync("mount", ["--bind", runDir, runDir]);
            execFileSync("mount", ["-o", "remount,ro,bind", runDir]);
            mounted = true;
          }),
      });
      assert.ok(mounted, outcome.stdout + outcome.stderr);
      assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
      assert.match(outcome.stdout, /✗ memory short: could not write .*later\/memory-short\.hlog: the file system is read-only/);
      rescued = /what was measured is saved in (\S+) instead/.exec(outcome.stderr)?.[1];
      assert.ok(rescued, outcome.stderr);
      assert.match(outcome.stderr, /could not write .*later\/result\.json: the file system is read-only/);
      assert.match(outcome.stdout, new RegExp(`result: ${rescued}/result\\.json`));
      const result = JSON.parse(await readFile(join(rescued, "result.json"), "utf8")) as { runs: { delivery: { acked: number } }[] };
      assert.ok((result.runs[0]?.delivery.acked ?? 0) > 0, "what was measured is kept");
      assert.ok((await readdir(rescued)).includes("report.html"));
    } finally {
      if (mounted) execFileSync("umount", [runDir]);
      if (rescued) await rm(rescued, { recursive: true, force: true });
    }
  });
});
