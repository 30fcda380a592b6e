import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tempDir } from "../../test/support/temp-dir.js";
import { ResultWriteError, writeFileAtomic } from "./atomic-file.js";

/** A real full disk: a 64 KiB tmpfs, which only root can mount (CI runs as root). */
const canMount = process.platform === "linux" && process.getuid?.() === 0;

describe("writeFileAtomic on a full disk", { skip: canMount ? false : "needs root to mount a small tmpfs" }, () => {
  let disk: string;
  before(async () => {
    disk = join(await tempDir("full-disk"), "mnt");
    await mkdir(disk);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk]);
  });
  after(async () => {
    execFileSync("umount", [disk]);
    await rm(disk, { recursive: true, force: true });
  });

  it("leaves the previous file whole, no temporary file, and names the file in the error", async () => {
    const path = join(disk, "result.json");
    await writeFileAtomic(path, '{"first":true}\n');
    await assert.rejects(writeFileAtomic(path, "x".repeat(200_000)), (e: unknown) => {
      assert.ok(e instanceof ResultWriteError);
      assert.match(e.message, /could not write .*result\.json: no space left on the device/);
      return true;
    });
    assert.equal(await readFile(path, "utf8"), '{"first":true}\n');
    assert.deepEqual(await readdir(disk), ["result.json"]);
  });
});

it("writeFileAtomic replaces a file whole", async () => {
  const path = join(await tempDir("atomic"), "a.json");
  await writeFileAtomic(path, "one");
  await writeFileAtomic(path, "two");
  assert.equal(await readFile(path, "utf8"), "two");
});
