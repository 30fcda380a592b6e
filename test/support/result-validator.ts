import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { RunResult } from "../../harness/result/result-schema.js";
import { REPO_ROOT } from "./run-cli.js";

/** Reads a run's result.json and validates it against the committed JSON Schema (not the zod one). */
export async function readValidatedResult(runDir: string): Promise<RunResult> {
  const schema = JSON.parse(await readFile(join(REPO_ROOT, "harness/result/result.schema.json"), "utf8")) as object;
  const result = JSON.parse(await readFile(join(runDir, "result.json"), "utf8")) as unknown;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (!validate(result)) throw new Error(`result.json does not match its schema: ${ajv.errorsText(validate.errors)}`);
  return result as RunResult;
}
