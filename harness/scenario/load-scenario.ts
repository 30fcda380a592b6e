import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { extname } from "node:path";
import type { z } from "zod";
import { ConfigError } from "../errors/errors.js";
import { k6NotTaken } from "./k6-not-taken.js";
import { fromOmbWorkload, looksLikeOmbWorkload } from "./omb-workload.js";
import { scenarioFileSchema, type ScenarioFile } from "./scenario-schema.js";
import { checkScenarioFileSize } from "./size-bounds.js";
import { parseScenarioYaml } from "./scenario-yaml.js";

function fieldPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(top level)" : path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  if (issue.code === "invalid_union" && "discriminator" in issue) {
    return "expected one of constant-arrival-rate, ramping-arrival-rate, constant-vus";
  }
  return issue.message;
}

/** Validates parsed data; throws a ConfigError naming the file, every bad field and what was expected. */
export function validateScenario(data: unknown, source: string): ScenarioFile {
  const refused = k6NotTaken(data);
  const parsed = refused.length ? null : scenarioFileSchema.safeParse(data);
  if (parsed?.success) return parsed.data;
  const lines = refused.length
    ? refused.map((i) => `  ${fieldPath(i.path)}: ${i.message}`)
    : (parsed?.error.issues ?? []).map((i) => `  ${fieldPath(i.path)}: ${describeIssue(i)}`);
  throw new ConfigError(source, `invalid scenario file\n${lines.join("\n")}`);
}

/** A scenario written as a module: TypeScript (run by Node's type stripping) or JavaScript. */
const MODULE_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);

/** The `options` a scenario module exports, as k6 scripts do (typed by harness/scenario/k6-options.ts). */
async function loadScenarioModule(path: string): Promise<unknown> {
  let module: { options?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { options?: unknown };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === "ERR_MODULE_NOT_FOUND" && !existsSync(path)) throw new ConfigError(path, "cannot read the scenario file (ENOENT)");
    const hint = e.code === "ERR_UNKNOWN_FILE_EXTENSION" ? " (TypeScript needs Node.js ≥ 22.18, which strips types; or build it with tsc and pass the .js)" : "";
    throw new ConfigError(path, `cannot load the scenario module: ${e.message.split("\n")[0]}${hint}`);
  }
  if (module.options === undefined) throw new ConfigError(path, "a scenario module exports `options` (as a k6 script does), with its `scenarios` and `thresholds`");
  return module.options;
}

/** Reads a scenario from YAML, JSON, or a TypeScript/JavaScript module exporting `options`. */
export async function loadScenarioFile(path: string): Promise<ScenarioFile> {
  if (MODULE_EXTENSIONS.has(extname(path))) return validateScenario(await loadScenarioModule(path), path);
  const cannotRead = (error: unknown) => new ConfigError(path, `cannot read the scenario file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  // Measured before it is read: no scenario file is that large, and parsing one would be slow.
  checkScenarioFileSize(path, (await stat(path).catch((error: unknown) => Promise.reject(cannotRead(error)))).size);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw cannotRead(error);
  }
  let data: unknown;
  try {
    data = extname(path) === ".json" ? JSON.parse(text) : parseScenarioYaml(text);
  } catch (error) {
    throw new ConfigError(path, `not valid ${extname(path) === ".json" ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ConfigError(path, "expected a mapping with a `scenarios` field at the top level");
  }
  return validateScenario(looksLikeOmbWorkload(data) ? fromOmbWorkload(data, path) : data, path);
}
