import { type Command, InvalidArgumentError, Option } from "commander";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { adapterNames } from "../../adapters/registry.js";
import { workloads } from "../../scenarios/workloads/workload-registry.js";
import { ConfigError } from "../errors/errors.js";
import type { EnvironmentChoice } from "../environment/provider.js";
import { checkPlan, type CheckedPlan } from "../runtime/run-suite.js";
import { loadScenarioFile } from "../scenario/load-scenario.js";
import { resolvePlan, type RunPlan } from "../scenario/run-plan.js";

export const DEFAULT_SCENARIO = fileURLToPath(new URL("../../../scenarios/quickstart.yaml", import.meta.url));

/** The flags that shape a run's plan: `eventbench run` and `eventbench plan` take exactly these. */
export interface PlanOptions {
  readonly scenario?: string;
  readonly adapter?: string[];
  readonly workload?: string;
  readonly rate?: number;
  readonly duration?: string;
  readonly warmup?: string;
  readonly env?: EnvironmentChoice;
}

export const positiveNumber = (flag: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} expects a number above 0, got "${value}"`);
  return n;
};
export const list = (value: string) => value.split(",").map((s) => s.trim()).filter(Boolean);

/** Adds the scenario file (argument or --scenario) and the plan's flags to a command. */
export function addPlanOptions(command: Command): Command {
  return command
    .argument("[file]", "scenario file: YAML, JSON, an OpenMessaging Benchmark workload, or a TypeScript/JavaScript module exporting options (same as --scenario)")
    .option("-s, --scenario <file>", "scenario file (default: scenarios/quickstart.yaml)")
    .option("-a, --adapter <names>", `adapters, comma-separated (${adapterNames().join(", ")})`, list)
    .option("-w, --workload <name>", `only the scenarios of this workload (${Object.keys(workloads).join(", ")})`)
    .option("-r, --rate <events/s>", "target rate for constant-arrival-rate scenarios", positiveNumber("--rate"))
    .option("-d, --duration <duration>", "measured duration, e.g. 30s, 2m (max-throughput: bounds the steps; backlog-drain: the produce time)")
    .option("--warmup <duration>", "warm-up of every scenario, e.g. 0s, 5s (replaces the file's)")
    .addOption(new Option("-e, --env <provider>", "where servers come from").choices(["auto", "docker", "native", "external"]));
}

/** The scenario file named as the argument or by --scenario (not both), else the quickstart. */
export function withScenarioArgument<T extends PlanOptions>(file: string | undefined, o: T): T {
  if (file === undefined) return o;
  if (o.scenario !== undefined && o.scenario !== file) throw new ConfigError("--scenario", `two scenario files given ("${file}" and --scenario "${o.scenario}"); expected one`);
  return { ...o, scenario: file };
}

export interface ResolvedRun {
  readonly plan: RunPlan;
  readonly checked: CheckedPlan;
}

/** Loads the file, applies the flags and checks the adapters: everything before any server starts (exit 2 on bad input). */
export async function resolveRunPlan(o: PlanOptions): Promise<ResolvedRun> {
  // `--adapter ""` would run nothing and pass.
  if (o.adapter?.length === 0) throw new ConfigError("--adapter", `names no adapter; expected one or more of ${adapterNames().join(", ")}`);
  const file = await loadScenarioFile(o.scenario ? resolve(o.scenario) : DEFAULT_SCENARIO);
  const plan = resolvePlan(file, o.scenario ?? "scenarios/quickstart.yaml", {
    ...(o.adapter ? { adapters: o.adapter } : {}),
    ...(o.workload ? { workload: o.workload } : {}),
    ...(o.rate !== undefined ? { rate: o.rate } : {}),
    ...(o.duration ? { duration: o.duration } : {}),
    ...(o.warmup ? { warmup: o.warmup } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
  return { plan, checked: await checkPlan(plan) };
}
