/**
 * What the bench scripts share: children that never outlive the script (a Ctrl-C, a failure or a
 * timeout stops them), settings from the environment, and one scenario run through the real CLI
 * in a child process, as a user would run it, read back as its validated result entries.
 */
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ConfigError, EnvironmentError } from "../harness/errors/errors.js";
import { onShutdown } from "../harness/environment/shutdown-registry.js";
import type { RunEntryResult } from "../harness/result/result-schema.js";
import { readRunResult } from "../report/run-results.js";

const REPO = new URL("../../", import.meta.url).pathname;
const CLI = join(REPO, "bin", "eventbench.js");

export interface ChildOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/**
 * Spawns a child, collects its output and stops it past `timeoutMs` or on shutdown. It stays in
 * our process group on purpose: a Ctrl-C in the terminal reaches it directly.
 */
export function runChild(command: string, args: readonly string[], o: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env: o.env ?? process.env, cwd: o.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    };
    const unregister = onShutdown(`stop ${command}`, kill);
    const timer = setTimeout(() => {
      stderr += `\n[bench] ${command} stopped after ${o.timeoutMs} ms\n`;
      kill();
    }, o.timeoutMs);
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      unregister();
      reject(error.code === "ENOENT" ? new EnvironmentError(`${command} is not on PATH`) : error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      unregister();
      resolve({ stdout, stderr, code });
    });
  });
}

/** A whole number above 0 from the environment, or a ConfigError naming the variable. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(name, `expected a whole number above 0, got ${JSON.stringify(raw)}`);
  return value;
}

export interface CliBenchmarkRun {
  /** The scenario file's content. */
  readonly scenario: Record<string, unknown>;
  readonly adapter: string;
  /** `--env`; external runs take their endpoints from `variables`. */
  readonly env: "native" | "external";
  readonly variables?: Readonly<Record<string, string>>;
  /** Where the run folder goes (a new temporary folder when absent), and its name. */
  readonly dir?: string;
  readonly id?: string;
  readonly timeoutMs: number;
}

/** Runs the scenario through `eventbench run`; an entry that errored or was cut short is an error here. */
export async function runScenario(run: CliBenchmarkRun): Promise<RunEntryResult[]> {
  const dir = run.dir ?? (await mkdtemp(join(tmpdir(), "eventbench-bench-")));
  const id = run.id ?? "run";
  const file = join(dir, `${id}.yaml`);
  await writeFile(file, stringify(run.scenario));
  const args = [CLI, "run", "--scenario", file, "--adapter", run.adapter, "--env", run.env, "--out", dir, "--run-id", id];
  const out = await runChild(process.execPath, args, { env: { ...process.env, ...run.variables }, cwd: REPO, timeoutMs: run.timeoutMs });
  // Exit 1 (a threshold or the verification failed) still wrote a result, which says why.
  if (out.code !== 0 && out.code !== 1) throw new Error(`eventbench run ${id} (${run.adapter}) exited with ${out.code}:\n${out.stderr.trim().split("\n").slice(-5).join("\n")}`);
  const entries = (await readRunResult(join(dir, id))).runs;
  const broken = entries.find((e) => e.status === "error" || e.status === "incomplete");
  if (broken) throw new Error(`eventbench run ${id}: ${broken.status}${broken.error ? `: ${broken.error}` : ""}; see ${join(dir, id)}`);
  return entries;
}
