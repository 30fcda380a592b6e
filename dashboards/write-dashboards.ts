import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dashboardCatalog, serializeDashboard } from "./dashboard-catalog.js";

/** Where the committed JSON lives (a test fails when it drifts from the code). */
export const GENERATED_DIR = fileURLToPath(new URL("../../dashboards/generated/", import.meta.url));

/** `eventbench dashboards [--out DIR]`: writes every dashboard's JSON; returns the paths. */
export async function writeDashboards(out: string = GENERATED_DIR): Promise<string[]> {
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, dashboard] of Object.entries(dashboardCatalog())) {
    const path = join(dir, file);
    await writeFile(path, serializeDashboard(dashboard));
    written.push(path);
  }
  return written;
}
