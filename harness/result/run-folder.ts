import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../errors/errors.js";
import { fileErrorReason } from "./file-error-reason.js";

/** Long enough for a timestamp plus a label; short enough for every file system's name limit (255 bytes). */
export const MAX_RUN_ID_LENGTH = 128;

/**
 * A run id names a folder under --out: never a path (`..`, `/`), never hidden, never longer than
 * a file name may be.
 */
export function checkRunId(runId: string, flag = "--run-id"): string {
  if (runId.length > MAX_RUN_ID_LENGTH) throw new ConfigError(flag, `${runId.length} characters is too long (at most ${MAX_RUN_ID_LENGTH})`);
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(runId)) {
    throw new ConfigError(flag, `${JSON.stringify(runId)} is not a folder name: use letters, digits, _ . - only, not starting with a dot`);
  }
  return runId;
}

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir retries forever on a path it cannot
 * create under some pseudo file systems (`--out /proc/1/x` spun at 100 % CPU).
 */
async function makeFolders(dir: string): Promise<void> {
  const existing = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (existing) return;
  const parent = dirname(dir);
  if (parent !== dir) await makeFolders(parent);
  await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
}

/**
 * Creates `out/runId` and returns its path. The folder is created exclusively: an existing one
 * belongs to another run (a reused --run-id, a concurrent run), whose result and interval logs
 * must not be overwritten or mixed with this run's, so it is refused.
 */
export async function createRunFolder(out: string, runId: string): Promise<string> {
  const outDir = resolve(out);
  const runDir = resolve(outDir, checkRunId(runId));
  await makeFolders(outDir).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError("--out", `cannot create ${outDir}: ${fileErrorReason(error)}`);
  });
  if (!(await stat(outDir)).isDirectory()) throw new ConfigError("--out", `${outDir} is a file, not a folder`);
  await mkdir(runDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") {
      throw new ConfigError("--run-id", `${runDir} exists already (a run with this id): choose another --run-id or remove that folder`);
    }
    throw new ConfigError("--out", `cannot create the run folder ${runDir}: ${fileErrorReason(error)}`);
  });
  return runDir;
}
