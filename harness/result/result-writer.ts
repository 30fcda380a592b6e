import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult } from "./result-schema.js";

export const RESULT_FILE = "result.json";

/** Writes result.json into the run folder; returns its path. */
export async function writeResult(runDir: string, result: RunResult): Promise<string> {
  const path = join(runDir, RESULT_FILE);
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}
