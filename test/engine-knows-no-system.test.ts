import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { it } from "node:test";
import ts from "typescript";
import { adapterNames, serviceNames } from "../adapters/registry.js";

/**
 * The engine knows no system by name: every system lives in its folder under `adapters/` and is
 * reached through the registry. This reads the engine's sources (harness/, report/, dashboards/;
 * tests left out, as they may start a real server by name) and fails on any identifier or string
 * that holds a system's name, taken from the registry: its service (`redis`) and its adapters
 * (`redis-streams`), matched case-insensitively anywhere in the token (`startNativeRedis`,
 * `REDIS_URL`). Comments are prose and are not read.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const ENGINE = ["harness", "report", "dashboards"];

/**
 * What may still name a system, each with its reason: an entry is a place where the engine is not
 * yet system-free, to be removed when its reason goes. `token` is matched against the identifier
 * or string, `files` (when given) against the path.
 */
const ALLOWED: readonly { readonly token: RegExp; readonly files?: RegExp; readonly why: string }[] = [
  {
    token: /redis-?hash/i,
    why: "`readModel: redis-hash` names where the cqrs workload keeps its read model (Redis hashes): an option of that workload, not an adapter; the scenario schema and the run's wiring still name it (the read model itself lives in scenarios/workloads/cqrs/read-model/)",
  },
  {
    token: /readModelRedis|^redis$|needs a Redis/,
    files: /(^|\/)run-(suite|coordinator)\.ts$/,
    why: "the redis-hash read model's server is the run's `redis` service; a read model that declares the service it needs would remove this",
  },
];

/** Systems that need a server, and their adapters (the in-process `memory` adapter names none). */
async function systemNames(): Promise<string[]> {
  const { loadAdapterFactory } = await import("../adapters/registry.js");
  const served = [];
  for (const name of adapterNames()) if ((await loadAdapterFactory(name)).service !== "none") served.push(name);
  return [...new Set([...serviceNames(), ...served])].map((n) => n.toLowerCase());
}

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name) && !/\.test\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((p) => !p.split("/").includes("generated"));
}

/** Identifiers and the text of string and template literals: what code says, not what comments say. */
function tokensOf(file: string, text: string): string[] {
  const tokens: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) tokens.push(node.text);
    else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) tokens.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  return tokens;
}

/** `file: token (system)` for every token naming a system and not allowed. */
export function systemNamesIn(file: string, text: string, systems: readonly string[]): string[] {
  const found = new Set<string>();
  for (const token of tokensOf(file, text)) {
    const lower = token.toLowerCase();
    for (const system of systems) {
      if (!lower.includes(system)) continue;
      if (ALLOWED.some((a) => a.token.test(token) && (!a.files || a.files.test(file)))) continue;
      found.add(`${file}: ${JSON.stringify(token)} (${system})`);
    }
  }
  return [...found];
}

it("finds a system's name in code and not in comments (the check itself)", () => {
  const code = `// Kafka is mentioned here\nimport { startNativeKafka } from "x";\nconst url = process.env.REDIS_URL;\nconst s = \`a \${b} kafka-platformatic\`;`;
  assert.deepEqual(systemNamesIn("x.ts", code, ["kafka", "redis"]), ['x.ts: "startNativeKafka" (kafka)', 'x.ts: "REDIS_URL" (redis)', 'x.ts: " kafka-platformatic" (kafka)']);
});

it("engine code (harness/, report/, dashboards/) names no system", async () => {
  const systems = await systemNames();
  assert.ok(systems.length >= 3, `the registry lists services: ${systems.join(", ")}`);
  const found: string[] = [];
  for (const dir of ENGINE) {
    for (const file of await sources(dir)) found.push(...systemNamesIn(file, await readFile(join(root, file), "utf8"), systems));
  }
  assert.deepEqual(found, [], `engine code names a system; reach it through adapters/registry.ts and its service definition instead:\n${found.join("\n")}`);
});
