import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../errors/errors.js";
import { fromOmbWorkload, looksLikeOmbWorkload } from "./omb-workload.js";
import { scenarioFileSchema, type ScenarioFile } from "./scenario-schema.js";

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
  const parsed = scenarioFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${fieldPath(i.path)}: ${describeIssue(i)}`);
    throw new ConfigError(source, `invalid scenario file\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Reads a scenario from YAML or JSON. */
export async function loadScenarioFile(path: string): Promise<ScenarioFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(path, `cannot read the scenario file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let data: unknown;
  try {
    data = extname(path) === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(path, `not valid ${extname(path) === ".json" ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ConfigError(path, "expected a mapping with a `scenarios` field at the top level");
  }
  return validateScenario(looksLikeOmbWorkload(data) ? fromOmbWorkload(data, path) : data, path);
}
