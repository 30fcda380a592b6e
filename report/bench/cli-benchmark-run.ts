/**
 * What the bench scripts share: run one scenario (written to a temporary file) through the real
 * CLI in a child process, as a user would, and read back its validated result entries.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { RunEntryResult } from "../../harness/result/result-schema.js";
import { readRunResult } from "../run-results.js";

const execFileAsync = promisify(execFile);
const CLI = new URL("../../../bin/eventbench.js", import.meta.url).pathname;

export interface CliBenchmarkRun {
  /** The scenario file's text (YAML). */
  readonly scenario: string;
  readonly adapter: string;
  /** `--env`; external runs take their endpoints from `variables`. */
  readonly env: "native" | "external";
  readonly variables?: Readonly<Record<string, string>>;
}

export async function runScenario(run: CliBenchmarkRun): Promise<RunEntryResult[]> {
  const dir = await mkdtemp(join(tmpdir(), "eventbench-bench-"));
  const file = join(dir, "scenario.yaml");
  await writeFile(file, run.scenario);
  const args = [CLI, "run", "--scenario", file, "--adapter", run.adapter, "--env", run.env, "--out", dir, "--run-id", "run"];
  // Exit 1 (a threshold or the verification failed) still wrote a result, which says why.
  await execFileAsync(process.execPath, args, { env: { ...process.env, ...run.variables }, maxBuffer: 1 << 26 }).catch((error: { code?: number; stderr?: string }) => {
    if (error.code !== 1) throw new Error(`eventbench run (${run.adapter}) exited ${error.code}: ${error.stderr ?? ""}`);
  });
  return (await readRunResult(join(dir, "run"))).runs;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** A positive integer from the environment, or a clear error naming the variable. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw}: expected a whole number above 0`);
  return value;
}
