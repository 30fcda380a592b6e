import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const created: string[] = [];
process.once("exit", () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed when the test process exits. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `eventbench-${prefix}-`));
  created.push(dir);
  return dir;
}
