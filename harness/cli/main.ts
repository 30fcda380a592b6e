import { Command, InvalidArgumentError, Option } from "commander";
import { createRequire } from "node:module";
import { adapterNames, loadAdapterFactory, serviceDefinitions, serviceNames } from "../../adapters/registry.js";
import { workloads } from "../../scenarios/workloads/workload-registry.js";
import { ExitCode, exitCodeOf } from "../errors/errors.js";
import { runShutdown } from "../environment/shutdown-registry.js";
import { addEnvironmentSecrets, scrubProcessOutput } from "../environment/known-secrets.js";
import { runCommand, type RunCommandOptions } from "./run-command.js";
import { envCommand } from "./env-command.js";
import { ciCommand, type CiCommandOptions } from "./ci-command.js";
import { mergeCommand } from "./merge-command.js";
import { compareCommand, reportCommand, type ReportCommandOptions } from "./report-command.js";
import { historyCommand, type HistoryCommandOptions } from "./history-command.js";
import { DEFAULT_HISTORY_METRICS, HISTORY_METRICS } from "../../report/history-metrics.js";
import { listScenarioFiles } from "./scenario-files.js";
import { addClientConfigOptions } from "./client-config-options.js";
import { addPlanOptions, list, resolveRunPlan, withScenarioArgument, type PlanOptions } from "./plan-options.js";
import { planText } from "./plan-text.js";
import { tolerateClosedOutput, writeStderr } from "./closed-output.js";
import { writeDashboards } from "../../dashboards/write-dashboards.js";

const VERSION = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;


const fraction = (flag: string, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(`${flag} expects a number above 0 and at most ${max}, got "${value}"`);
  return n;
};

export function buildProgram(): Command {
  const program = new Command("eventbench")
    .description("load-testing and observability benchmarks for event-driven systems")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();

  addPlanOptions(
    addClientConfigOptions(program.command("run", { isDefault: false })).description("run a scenario (default: scenarios/quickstart.yaml on every adapter the environment can start)"),
  )
    .option("-o, --out <dir>", "results folder", "results")
    .option("--run-id <id>", "name of the run folder (default: timestamp)")
    .option("--metrics-port <port>", "serve Prometheus metrics on 127.0.0.1:PORT/metrics while the run goes", (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new InvalidArgumentError(`--metrics-port expects a TCP port (1-65535), got "${v}"`);
      return n;
    })
    .action(async (file: string | undefined, options: RunCommandOptions) => {
      process.exitCode = await runCommand(withScenarioArgument(file, options));
    });

  addPlanOptions(
    addClientConfigOptions(program.command("plan"))
      .description("print the resolved plan of a run (entries, adapters, rates, durations, warm-ups, what is not honoured and why) without starting anything"),
  ).action(async (file: string | undefined, options: PlanOptions) => {
    process.stdout.write(planText(await resolveRunPlan(withScenarioArgument(file, options))));
  });

  addClientConfigOptions(program.command("ci"))
    .description("the scheduled CI job: run the ci scenario, compare with a baseline, write report, summary.md and junit.xml; exit 1 on a failure or regression")
    .option("-s, --scenario <file>", "scenario file (default: scenarios/ci.yaml)")
    .option("-b, --baseline <path>", "baseline: a run folder, a folder of repeated runs, or a baseline file (a missing one is noted, not an error)")
    .option("--repeat <n>", "run the scenario n times; with 3 or more on both sides the comparison uses run-to-run variance", (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError(`--repeat expects a whole number from 1 to 100, got "${v}"`);
      return n;
    }, 1)
    .option("--tolerance <fraction>", "relative change counted as a regression (default: the scenario's regression.tolerance)", fraction("--tolerance", 10))
    .option("--update-baseline <file>", "write this run (or its repeats) as the baseline file for the next runs")
    .option("-a, --adapter <names>", "adapters, comma-separated", list)
    .addOption(new Option("-e, --env <provider>", "where servers come from").choices(["auto", "docker", "native", "external"]))
    .option("-o, --out <dir>", "results folder", "results")
    .option("--run-id <id>", "name of the run folder (default: timestamp)")
    .action(async (options: CiCommandOptions) => {
      process.exitCode = await ciCommand(options);
    });

  program
    .command("merge")
    .argument("<dirs...>", "the workers' run folders (each with result.json and its .hlog interval logs)")
    .description("combine several workers' results of one scenario into one run: histograms added, counters summed, timelines aligned")
    .option("-o, --out <dir>", "results folder", "results")
    .option("--run-id <id>", "name of the merged run folder", `merged-${Date.now()}`)
    .action(async (dirs: string[], options: { out: string; runId: string }) => {
      process.exitCode = await mergeCommand(dirs, options);
    });

  program
    .command("list")
    .description("adapters, workloads and scenario files eventbench knows")
    .action(async () => {
      process.stdout.write("adapters:\n");
      for (const name of adapterNames()) {
        const f = await loadAdapterFactory(name);
        const caps = Object.entries(f.capabilities).filter(([, v]) => v).map(([k]) => k);
        const behindSettings = Object.entries(f.capabilitySettings ?? {}).map(([c, e]) => `${c} with ${e.setting}: ${JSON.stringify(e.value)}`);
        const extra = behindSettings.length ? `; ${behindSettings.join(", ")}` : "";
        const unmaintained = f.unmaintained ? `; UNMAINTAINED CLIENT: ${f.unmaintained}` : "";
        process.stdout.write(`  ${name.padEnd(18)} service: ${f.service.padEnd(9)} ${caps.join(", ")}${extra}${unmaintained}\n`);
      }
      process.stdout.write("workloads:\n");
      for (const w of Object.values(workloads)) process.stdout.write(`  ${w.name.padEnd(18)} ${w.description}\n`);
      process.stdout.write("scenario files:\n");
      for (const f of await listScenarioFiles()) process.stdout.write(`  ${f}\n`);
    });

  addClientConfigOptions(program.command("env"))
    .description("start the servers for manual use and print their endpoints (up), report what can run here (status), resolve the native servers ahead of time (prepare), or name the cache folders prepare fills (downloads)")
    .argument("<action>", "up | down | status | prepare | downloads (down: stop servers a killed eventbench left running)")
    .option("--services <names>", `${serviceNames().join(", ")} (default: all)`, list)
    .addOption(new Option("-e, --env <provider>", "where servers come from").choices(["auto", "docker", "native", "external"]).default("auto"))
    .option("-o, --out <dir>", "folder for server logs and data", "results/env")
    .action(envCommand);

  program
    .command("report")
    .argument("<dir>", "a run folder (results/<runId>)")
    .description("write report.html, summary.md and junit.xml of a finished run, optionally against a baseline")
    .option("-b, --baseline <dir>", "baseline: a run folder, or a folder of repeated runs")
    .option("--tolerance <fraction>", "relative change counted as a regression (default: the scenario's regression.tolerance)", fraction("--tolerance", 10))
    .action(async (dir: string, options: ReportCommandOptions) => {
      process.exitCode = await reportCommand(dir, options);
    });
  program
    .command("compare")
    .argument("<base>", "baseline: a run folder, or a folder of repeated runs")
    .argument("<new>", "the run to judge: a run folder, or a folder of repeated runs")
    .description("per-metric comparison that accounts for noise; exits 1 on a regression beyond tolerance")
    .option("--tolerance <fraction>", "relative change counted as a regression (default: the new run's regression.tolerance)", fraction("--tolerance", 10))
    .option("--alpha <p>", "significance level of the rank-sum test (default: the new run's regression.alpha)", fraction("--alpha", 0.5))
    .action(async (base: string, next: string, options: { tolerance?: number; alpha?: number }) => {
      process.exitCode = await compareCommand(base, next, options);
    });
  program
    .command("history")
    .argument("<dirs...>", "run folders, or folders of run folders (the nightly results): every result.json found is one run")
    .description("write one HTML page plotting metrics across many runs: a line per adapter / scenario, the baseline and the regressions the comparison finds marked, each point linking its run's report.html")
    .option("-m, --metric <name>", `a figure of a run entry by its path in result.json, repeatable (default: ${DEFAULT_HISTORY_METRICS.join(", ")}); one of ${HISTORY_METRICS.map((m) => m.name).join(", ")}`, (v: string, acc: string[] = []) => [...acc, v])
    .option("-b, --baseline <path>", "baseline to judge every run against, as compare takes it: a baseline file (baselines/ci.json), a run folder or a folder of repeated runs")
    .option("-o, --out <file>", "the page to write (default: history.html in the folder holding the run folders)")
    .option("--tolerance <fraction>", "relative change counted as a regression (default: each run's regression.tolerance)", fraction("--tolerance", 10))
    .option("--alpha <p>", "significance level of the rank-sum test (default: each run's regression.alpha)", fraction("--alpha", 0.5))
    .action(async (dirs: string[], options: HistoryCommandOptions) => {
      process.exitCode = await historyCommand(dirs, options);
    });
  program
    .command("dashboards")
    .description("write the Grafana dashboards' JSON (grafana-foundation-sdk; they read the --metrics-port endpoint)")
    .option("-o, --out <dir>", "folder to write into (default: dashboards/generated in the package)")
    .action(async (options: { out?: string }) => {
      for (const path of await writeDashboards(options.out)) process.stdout.write(`wrote ${path}\n`);
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  tolerateClosedOutput();
  addEnvironmentSecrets(process.env, serviceDefinitions().map((d) => d.externalVariable));
  scrubProcessOutput();
  let crashed = false;
  process.on("uncaughtException", (error) => {
    // One crash is handled once: a second one while stopping servers must not start it again.
    if (crashed) return;
    crashed = true;
    writeStderr(`eventbench crashed: ${error.stack ?? error.message}\n`);
    void runShutdown().finally(() => process.exit(ExitCode.failed));
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    const e = error as Error & { code?: string; exitCode?: number };
    if (e.code?.startsWith("commander.")) {
      // commander already printed the message and help
      process.exitCode = e.code === "commander.helpDisplayed" || e.code === "commander.version" ? ExitCode.ok : ExitCode.badUsage;
    } else {
      process.stderr.write(`eventbench: ${e.message}\n`);
      process.exitCode = exitCodeOf(error);
    }
  } finally {
    await runShutdown((label, err) => process.stderr.write(`cleanup "${label}" failed: ${(err as Error).message}\n`));
  }
}
