import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../harness/errors/errors.js";
import { RESULT_FILE } from "../harness/result/result-writer.js";
import { runResultSchema, type RunResult } from "../harness/result/result-schema.js";

/** Reads and validates one run folder's result.json; a bad file names the field that is wrong. */
export async function readRunResult(dir: string): Promise<RunResult> {
  const path = join(dir, RESULT_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(dir, `no ${RESULT_FILE} here; expected the folder of a finished run (results/<runId>)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, `not JSON (${(e as Error).message})`);
  }
  const parsed = runResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${path}: ${issue?.path.join(".") || "(top level)"}`, `${issue?.message ?? "invalid"}; expected result.json version 1 as harness/result/result.schema.json describes`);
  }
  return parsed.data;
}

/**
 * A side of a comparison: one run folder, or a folder of repeated runs (each a sub-folder with
 * its own result.json), which lets the comparison use run-to-run variance.
 */
export async function readRunSet(dir: string): Promise<RunResult[]> {
  if (await isFile(join(dir, RESULT_FILE))) return [await readRunResult(dir)];
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    throw new ConfigError(dir, "no such folder; expected a run folder or a folder of run folders");
  }
  const runs: RunResult[] = [];
  for (const name of names) if (await isFile(join(dir, name, RESULT_FILE))) runs.push(await readRunResult(join(dir, name)));
  if (runs.length === 0) throw new ConfigError(dir, `no ${RESULT_FILE} in it or in its sub-folders; expected a run folder or a folder of run folders`);
  return runs;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}
