import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const SCENARIO_DIR = fileURLToPath(new URL("../../../scenarios/", import.meta.url));

/** Ready scenario files shipped in `scenarios/`: YAML, JSON and TypeScript modules exporting options. */
export async function listScenarioFiles(): Promise<string[]> {
  const names = await readdir(SCENARIO_DIR);
  // A scenario module (.ts) is one whose name is not a test's.
  return names.filter((n) => (/\.(ya?ml|json)$/.test(n) && !n.endsWith(".schema.json")) || (/\.ts$/.test(n) && !/\.(test|d)\.ts$/.test(n))).map((n) => `scenarios/${n}`);
}
