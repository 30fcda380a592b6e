import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { it } from "node:test";
import ts from "typescript";
import { dashboardCatalog } from "./dashboard-catalog.js";
import { GENERATED_DIR } from "./write-dashboards.js";

/**
 * Each committed dashboard JSON, written as an object literal typed with Grafana's published
 * `Dashboard` (@grafana/schema, pinned in devDependencies), compiled by TypeScript: a field the
 * schema lacks is an excess-property error, a wrong type a type error.
 */
it("the committed dashboards type-check against Grafana's published schema (@grafana/schema)", async () => {
  const repo = resolve(GENERATED_DIR, "../..");
  const sources = new Map<string, string>();
  for (const file of Object.keys(dashboardCatalog())) {
    const json = await readFile(join(GENERATED_DIR, file), "utf8");
    sources.set(join(repo, "dashboards", `${file}.schema-check.ts`), `import type { Dashboard } from "@grafana/schema";\nexport const dashboard: Dashboard = ${json};\n`);
  }
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [] };
  const host = ts.createCompilerHost(options);
  const fileExists = host.fileExists.bind(host);
  const readSource = host.readFile.bind(host);
  host.fileExists = (f) => sources.has(f) || fileExists(f);
  host.readFile = (f) => sources.get(f) ?? readSource(f);
  const program = ts.createProgram([...sources.keys()], options, host);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.replace(`${repo}/`, "")}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  assert.deepEqual(problems, [], problems.join("\n"));
});
