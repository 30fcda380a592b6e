import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../harness/errors/errors.js";
import { RESULT_FILE } from "../harness/result/result-writer.js";
import { withCurrentAdapterNames } from "../adapters/registry.js";
import { runResultSchema, type RunResult } from "../harness/result/result-schema.js";

/**
 * Reads and validates one run folder's result.json; a bad file names the field that is wrong. A
 * result written under old adapter names is read under today's (adapters/kafka/former-adapter-names.ts, through the registry).
 */
export async function readRunResult(dir: string): Promise<RunResult> {
  const path = join(dir, RESULT_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(dir, `no ${RESULT_FILE} here; expected the folder of a finished run (results/<runId>)`);
  }
  return validated(parseJson(path, text), path);
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, `not JSON (${(e as Error).message})`);
  }
}

function validated(json: unknown, where: string): RunResult {
  const parsed = runResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${where}: ${issue?.path.join(".") || "(top level)"}`, `${issue?.message ?? "invalid"}; expected result.json version 1 as harness/result/result.schema.json describes`);
  }
  return withCurrentAdapterNames(parsed.data);
}

/**
 * A baseline file kept in a repository or fetched as an artifact: one result.json's content, or
 * an array of them (repeated runs), as `eventbench ci --update-baseline` writes it.
 */
export async function readBaselineFile(path: string): Promise<RunResult[]> {
  const json = parseJson(path, await readFile(path, "utf8"));
  return Array.isArray(json) ? json.map((r, i) => validated(r, `${path}[${i}]`)) : [validated(json, path)];
}

/**
 * A side of a comparison: one run folder, a folder of repeated runs (each a sub-folder with its
 * own result.json), which lets the comparison use run-to-run variance, or a baseline file.
 */
export async function readRunSet(dir: string): Promise<RunResult[]> {
  if (await isFile(dir)) return readBaselineFile(dir);
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
