import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../harness/errors/errors.js";
import { RESULT_FILE } from "../harness/result/result-writer.js";
import { fileErrorReason } from "../harness/result/file-error-reason.js";
import { withCurrentAdapterNames } from "../adapters/registry.js";
import { RESULT_SCHEMA_VERSION, runResultSchema, type RunResult } from "../harness/result/result-schema.js";

/**
 * Reads and validates one run folder's result.json; a bad file names the field that is wrong. A
 * result written under old adapter names is read under today's (adapters/kafka/former-adapter-names.ts, through the registry).
 */
export async function readRunResult(dir: string): Promise<RunResult> {
  const path = join(dir, RESULT_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new ConfigError(dir, `no ${RESULT_FILE} here; expected the folder of a finished run (results/<runId>)`);
    throw new ConfigError(path, `cannot be read (${fileErrorReason(e as NodeJS.ErrnoException)})`);
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
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === "number" && version > RESULT_SCHEMA_VERSION) {
    throw new ConfigError(`${where}: schemaVersion`, `${version}: written by a newer eventbench; this one reads result.json version ${RESULT_SCHEMA_VERSION} (update eventbench to read it)`);
  }
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
  const runs: RunResult[] = [];
  for (const folder of await findRunFolders(dir)) runs.push(await readRunResult(folder));
  return runs;
}

/**
 * The run folders `dir` stands for: itself when it holds a result.json, else its sub-folders that
 * do (a folder of repeated runs, or the nightly results), in name order.
 */
export async function findRunFolders(dir: string): Promise<string[]> {
  if (await exists(join(dir, RESULT_FILE))) return [dir];
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    throw new ConfigError(dir, `${error.code === "ENOENT" ? "no such folder" : `cannot be read (${fileErrorReason(error)})`}; expected a run folder or a folder of run folders`);
  }
  const folders: string[] = [];
  for (const name of names) if (await exists(join(dir, name, RESULT_FILE))) folders.push(join(dir, name));
  if (folders.length === 0) throw new ConfigError(dir, `no ${RESULT_FILE} in it or in its sub-folders; expected a run folder or a folder of run folders`);
  return folders;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** A result.json that is there but unreadable (or not a file) is found, so reading it says why it fails. */
async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, (e: NodeJS.ErrnoException) => e.code !== "ENOENT" && e.code !== "ENOTDIR");
}
