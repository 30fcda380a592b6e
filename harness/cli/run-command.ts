import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { pino } from "pino";
import { ConfigError, ExitCode } from "../errors/errors.js";
import { runShutdown } from "../environment/shutdown-registry.js";
import { scrubSecrets } from "../environment/known-secrets.js";
import { writeResult } from "../result/result-writer.js";
import { createRunFolder } from "../result/run-folder.js";
import type { RunResult } from "../result/result-schema.js";
import { writeReport } from "../../report/write-report.js";
import { runSuite } from "../runtime/run-suite.js";
import { resolveRunPlan, type PlanOptions } from "./plan-options.js";
import { LiveMetrics } from "../metrics/live-metrics.js";
import { startMetricsServer } from "../metrics/metrics-server.js";
import { ProgressDisplay } from "./progress-display.js";
import { summaryTable } from "./summary-table.js";

export interface RunCommandOptions extends PlanOptions {
  readonly out: string;
  readonly runId?: string;
  readonly metricsPort?: number;
}

export function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/**
 * `eventbench run`: exit 0 when every threshold and the delivery verification passed; 3 when a
 * system never answered a single append (the environment did not work), else 1.
 */
export async function runCommand(o: RunCommandOptions): Promise<number> {
  const { result } = await performRun(o);
  if (result.status === "passed") return ExitCode.ok;
  return result.runs.some((e) => e.noAnswer && e.noAnswer.lastAnswerS === null) ? ExitCode.environment : ExitCode.failed;
}

export interface PerformedRun {
  readonly result: RunResult;
  readonly runDir: string;
  /** Ctrl-C was pressed: a caller running several runs stops after this one. */
  readonly interrupted: boolean;
}

/**
 * One run: validate everything first (exit 2), then run, print the summary, write result.json
 * and the report. Ctrl-C stops producing at once and still writes what was measured; a second
 * Ctrl-C stops the servers and exits without waiting.
 */
export async function performRun(o: RunCommandOptions): Promise<PerformedRun> {
  const { plan } = await resolveRunPlan(o);

  const runId = o.runId ?? newRunId();
  const runDir = await createRunFolder(o.out, runId);
  const display = new ProgressDisplay(Boolean(process.stdout.isTTY));
  const abort = new AbortController();
  let log: pino.Logger | undefined;
  const note = (message: string) => {
    display.note(message);
    log?.info(message);
  };

  const metrics = o.metricsPort !== undefined ? new LiveMetrics(runId) : undefined;
  const metricsServer = metrics ? await startMetricsServer(o.metricsPort as number, metrics).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError("--metrics-port", `cannot listen on 127.0.0.1:${o.metricsPort} (${error.code ?? error.message})`);
  }) : undefined;

  const onSignal = (signal: NodeJS.Signals) => {
    if (!abort.signal.aborted) {
      note(`\n${signal}: stopping the load and writing what was measured (press Ctrl-C again to exit at once)`);
      abort.abort();
      return;
    }
    void runShutdown().finally(() => process.exit(130));
  };
  // SIGHUP: the terminal closed or the SSH connection dropped; its default would end the
  // process without stopping the servers.
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);

  try {
    log = pino({ base: { runId }, hooks: { streamWrite: scrubSecrets } }, pino.destination({ dest: join(runDir, "eventbench.log"), sync: true }));
    note(`eventbench run ${runId}: scenario ${plan.scenarioName}, results in ${runDir}`);
    if (metricsServer) note(`Prometheus metrics: http://127.0.0.1:${o.metricsPort}/metrics`);
    const result = await runSuite({
      plan,
      runId,
      runDir,
      signal: abort.signal,
      hooks: {
        note,
        onEntryStart: (adapter, w) => log?.info({ adapter, scenario: w.name }, "entry started"),
        onInterval: (adapter, w, point, latency) => {
          display.update(adapter, w, point);
          metrics?.update(adapter, w.workload, w.name, point, latency);
          log?.debug({ adapter, scenario: w.name, point }, "interval");
        },
        onEntryEnd: (entry) => {
          display.done();
          log?.info({ adapter: entry.adapter, scenario: entry.scenario, status: entry.status, error: entry.error }, "entry finished");
        },
      },
    });
    const path = await writeResult(runDir, result);
    const report = await writeReport(runDir, result);
    process.stdout.write(
      `\n${summaryTable(result)}\n\nresult: ${path}${result.interrupted ? " (interrupted: incomplete)" : ""}\nreport: ${report.html}\n`,
    );
    return { result, runDir, interrupted: abort.signal.aborted };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    metricsServer?.close();
    log?.flush();
  }
}
