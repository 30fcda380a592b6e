import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.js";
import type { RunResult } from "./result-schema.js";

export const RESULT_FILE = "result.json";

/** Writes result.json into the run folder (whole or not at all); returns its path. */
export async function writeResult(runDir: string, result: RunResult): Promise<string> {
  return writeFileAtomic(join(runDir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
}
