import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { it } from "node:test";
import { dashboardCatalog, dashboardQueries, serializeDashboard } from "./dashboard-catalog.js";
import { GENERATED_DIR } from "./write-dashboards.js";

it("the committed dashboard JSON matches the code (run `npm run dashboards` after changing it)", async () => {
  for (const [file, dashboard] of Object.entries(dashboardCatalog())) {
    assert.equal(await readFile(join(GENERATED_DIR, file), "utf8"), serializeDashboard(dashboard), `dashboards/generated/${file} is out of date`);
  }
});

it("every dashboard has the run/adapter/workload variables and panels that do not overlap", () => {
  for (const [file, d] of Object.entries(dashboardCatalog()) as [string, { templating?: { list?: { name: string }[] }; panels?: { gridPos?: { x: number; y: number; w: number; h: number } }[] }][]) {
    const variables = (d.templating?.list ?? []).map((v) => v.name);
    for (const v of ["datasource", "run", "adapter", "workload"]) assert.ok(variables.includes(v), `${file} has $${v}`);
    const boxes = (d.panels ?? []).map((p) => p.gridPos).filter((g): g is { x: number; y: number; w: number; h: number } => g !== undefined);
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b) => {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        assert.ok(!overlap, `${file}: panels at ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`);
      }),
    );
  }
  assert.ok(dashboardQueries().length > 10);
});
