import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const SCENARIO_DIR = fileURLToPath(new URL("../../../scenarios/", import.meta.url));

/** Ready scenario files shipped in `scenarios/`. */
export async function listScenarioFiles(): Promise<string[]> {
  const names = await readdir(SCENARIO_DIR);
  return names.filter((n) => /\.(ya?ml|json)$/.test(n) && !n.endsWith(".schema.json")).map((n) => `scenarios/${n}`);
}
