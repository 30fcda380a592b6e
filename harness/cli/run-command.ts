import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { ConfigError, ExitCode } from "../errors/errors.js";
import { runShutdown } from "../environment/shutdown-registry.js";
import { scrubSecrets } from "../environment/known-secrets.js";
import { writeResult } from "../result/result-writer.js";
import { ResultWriteError } from "../result/atomic-file.js";
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
  const { result, savedElsewhere } = await performRun(o);
  if (result.runs.some((e) => e.noAnswer && e.noAnswer.lastAnswerS === null)) return ExitCode.environment;
  // Results that could not be written where asked are a failed run, however it measured.
  return result.status === "passed" && !savedElsewhere ? ExitCode.ok : ExitCode.failed;
}

export interface PerformedRun {
  readonly result: RunResult;
  readonly runDir: string;
  /** Ctrl-C was pressed: a caller running several runs stops after this one. */
  readonly interrupted: boolean;
  /** The run folder could not take the result (read-only, full): why, and the folder it went to instead. */
  readonly savedElsewhere?: { readonly because: string; readonly dir: string };
}

/**
 * Writes result.json and the reports into the run folder; when it cannot take them (remounted
 * read-only, full, removed), into a fresh folder under the system's temporary folder instead:
 * what was measured is not lost for want of a place.
 */
async function saveOutputs(runDir: string, runId: string, result: RunResult): Promise<{ readonly result: string; readonly html: string; readonly savedElsewhere?: { because: string; dir: string } }> {
  try {
    return { result: await writeResult(runDir, result), html: (await writeReport(runDir, result)).html };
  } catch (error) {
    if (!(error instanceof ResultWriteError)) throw error;
    const dir = await mkdtemp(join(tmpdir(), `eventbench-unsaved-${runId}-`));
    return { result: await writeResult(dir, result), html: (await writeReport(dir, result)).html, savedElsewhere: { because: error.message, dir } };
  }
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
    const saved = await saveOutputs(runDir, runId, result);
    process.stdout.write(
      `\n${summaryTable(result)}\n\nresult: ${saved.result}${result.interrupted ? " (interrupted: incomplete)" : ""}\nreport: ${saved.html}\n`,
    );
    if (saved.savedElsewhere) note(`${saved.savedElsewhere.because}: what was measured is saved in ${saved.savedElsewhere.dir} instead`);
    return { result, runDir, interrupted: abort.signal.aborted, ...(saved.savedElsewhere ? { savedElsewhere: saved.savedElsewhere } : {}) };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    metricsServer?.close();
    log?.flush();
  }
}
