import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { cpus, hostname, totalmem } from "node:os";
import { createRequire } from "node:module";
import { capabilitiesOf, type AdapterFactory, type Endpoint } from "../../adapters/contract/adapter.js";
import { adapterNames, loadAdapterFactory } from "../../adapters/registry.js";
import { ConfigError, EnvironmentError } from "../errors/errors.js";
import { EnvironmentSession } from "../environment/environment-session.js";
import { runTagOf } from "../measurement/event-envelope.js";
import type { RunEntryResult, RunResult, TimeseriesPoint } from "../result/result-schema.js";
import { RESULT_SCHEMA_VERSION } from "../result/result-schema.js";
import type { IntervalLatency } from "./run-aggregator.js";
import { workloadFor, type RunPlan, type WorkloadPlan } from "../scenario/run-plan.js";
import { entrySettings } from "./entry-settings.js";
import { appendBatchProblem, entryRequirements } from "./entry-requirements.js";
import { runEntry } from "./run-coordinator.js";
import { runStatus } from "../result/entry-status.js";
import { placementProblem } from "./role-placement.js";
import { harnessCeilingHere } from "../measurement/harness-ceiling.js";
import type { ServiceHandle } from "../../adapters/contract/service.js";
import { FaultInjector } from "../faults/fault-injector.js";
import { findToxiproxy, MISSING, proxyUnavailableFor } from "../faults/toxiproxy.js";

const EVENTBENCH_VERSION = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

export interface SuiteHooks {
  /** Human-readable notes: providers chosen, servers started, entries skipped. */
  readonly note: (message: string) => void;
  readonly onEntryStart?: (adapter: string, workload: WorkloadPlan) => void;
  /** Each merged interval; its latency histograms are freed once the call returns. */
  readonly onInterval?: (adapter: string, workload: WorkloadPlan, point: TimeseriesPoint, latency: IntervalLatency) => void;
  readonly onEntryEnd?: (entry: RunEntryResult) => void;
}

export interface SuiteOptions {
  readonly plan: RunPlan;
  readonly runId: string;
  readonly runDir: string;
  readonly signal: AbortSignal;
  readonly hooks: SuiteHooks;
}

export interface CheckedPlan {
  /** Adapters with at least one entry to run. */
  readonly factories: Map<string, AdapterFactory>;
  /** Entries left out, and why. */
  readonly skipped: { adapter: string; reason: string }[];
  /** `adapter/scenario` of the entries left out. */
  readonly leftOut: ReadonlySet<string>;
}

const entryName = (adapter: string, workload: WorkloadPlan) => `${adapter}/${workload.name}`;

/**
 * Whether an entry an adapter cannot run is refused rather than left out: when the user named the
 * entry (--workload), or named the adapter and it would have nothing left to run. Otherwise it is
 * left out with the reason and the adapter runs the file's other entries (`--adapter kafka` on the
 * quickstart runs every entry but event-store).
 */
function refusesEntry(plan: RunPlan, runnable: number): boolean {
  return plan.adapters !== null && (plan.entriesNamed || runnable === 0);
}

/**
 * Everything that can be checked without starting a server: adapter names, their settings,
 * and whether each adapter has the capabilities each workload needs. Throws ConfigError (exit 2)
 * where `refusesEntry` says so; else an entry whose adapter lacks a capability is left out, with
 * the reason, and the adapter still runs the scenario's other workloads.
 */
export async function checkPlan(plan: RunPlan): Promise<CheckedPlan> {
  const names = plan.adapters ?? adapterNames();
  const factories = new Map<string, AdapterFactory>();
  const skipped: CheckedPlan["skipped"] = [];
  const leftOut = new Set<string>();
  for (const name of names) {
    if (!adapterNames().includes(name)) {
      throw new ConfigError(plan.adapters ? "--adapter / adapters" : "adapters", `unknown adapter "${name}"; expected one of ${adapterNames().join(", ")}`);
    }
    const factory = await loadAdapterFactory(name);
    factory.validateSettings(plan.adapterSettings[name] ?? {});
    if (plan.adapters === null && factory.leftOutOfDefaultRuns) {
      skipped.push({ adapter: name, reason: `not in runs that name no adapter (--adapter ${name} runs it): ${factory.leftOutOfDefaultRuns}` });
      continue;
    }
    const problems = plan.workloads
      .map((w) => ({ w, ...entrySettings(factory, plan.adapterSettings[name] ?? {}, entryRequirements(w)) }))
      .map((p) => ({ ...p, placement: placementProblem(p.w, capabilitiesOf(factory, plan.adapterSettings[name] ?? {})) ?? appendBatchProblem(factory, p.w) }))
      .filter(({ missing, placement }) => missing.length > 0 || placement !== null);
    const refused = refusesEntry(plan, plan.workloads.length - problems.length);
    for (const problem of problems) {
      const hint = problem.hints.length ? ` (${problem.hints.join("; ")})` : "";
      const reason =
        problem.missing.length > 0
          ? `workload ${problem.w.workload} as configured needs the capability ${problem.missing.join(", ")}, which adapter ${name} does not have${hint}`
          : `adapter ${name}: ${problem.placement}`;
      if (refused) throw new ConfigError(`${plan.scenarioFile}: scenarios.${problem.w.name}`, reason);
      skipped.push({ adapter: name, reason: plan.workloads.length > 1 ? `scenario ${problem.w.name}: ${reason}` : reason });
      leftOut.add(entryName(name, problem.w));
    }
    if (problems.length < plan.workloads.length) factories.set(name, factory);
  }
  for (const name of Object.keys(plan.adapterSettings)) {
    if (!adapterNames().includes(name)) throw new ConfigError(`${plan.scenarioFile}: adapterSettings.${name}`, `unknown adapter; expected one of ${adapterNames().join(", ")}`);
  }
  for (const w of plan.workloads) {
    for (const name of Object.keys(w.byAdapter)) {
      if (!adapterNames().includes(name)) throw new ConfigError(`${plan.scenarioFile}: rateScale.${name} (scenarios.${w.name})`, `unknown adapter; expected one of ${adapterNames().join(", ")}`);
    }
  }
  return { factories, skipped, leftOut };
}

const PROBE_TIMEOUT_MS = 15_000;

/** Connects once before any load: an unreachable server is an environment error, found in seconds. */
async function probe(factory: AdapterFactory, endpoint: Endpoint, settings: Readonly<Record<string, unknown>>): Promise<void> {
  const adapter = factory.create({ endpoint, settings });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      adapter.connect().then(() => adapter.info()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    // A client option the user got wrong (an unreadable certificate file) is bad configuration, not a server away.
    if (error instanceof ConfigError) throw error;
    throw new EnvironmentError(`adapter ${factory.name} cannot reach ${endpoint.display}: ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
    await adapter.close().catch(() => {});
  }
}

/**
 * A cqrs read model in Redis hashes goes to the run's Redis service, whatever the adapter: the
 * server the redis-streams adapter uses, or one the environment starts (or REDIS_URL names) for
 * the read model alone. No Redis to be had is an environment error naming the field.
 */
async function readModelRedis(session: EnvironmentSession, workload: WorkloadPlan, adapter: string): Promise<string | undefined> {
  if (workload.cqrs?.readModel !== "redis-hash") return undefined;
  const reason = await session.unavailableReason("redis");
  if (reason) throw new EnvironmentError(`scenarios.${workload.name}.readModel redis-hash (adapter ${adapter}) needs a Redis: ${reason}`);
  return (await session.endpointFor("redis")).url;
}

/** Why an entry's faults cannot be injected here (checked before any load), or null. */
async function faultsUnsupported(workload: WorkloadPlan, factory: AdapterFactory, service: ServiceHandle | undefined): Promise<string | null> {
  const why = FaultInjector.unsupported(workload.faults, service?.control);
  if (why) return why;
  if (!workload.faults.some((f) => f.kind === "slow-network")) return null;
  return proxyUnavailableFor(factory.service) ?? ((await findToxiproxy()) ? null : MISSING);
}

function hostInfo(): RunResult["environment"]["host"] {
  const cpuList = cpus();
  return {
    hostname: hostname(),
    platform: process.platform,
    arch: process.arch,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

/**
 * Runs every workload of the plan on every adapter, one entry at a time (entries never share the
 * machine), and returns result.json's content. Servers are stopped whatever happens.
 */
export async function runSuite(o: SuiteOptions): Promise<RunResult> {
  const { plan } = o;
  const { factories, skipped: incompatible, leftOut: incompatibleEntries } = await checkPlan(plan);
  const leftOut = new Set(incompatibleEntries);
  await mkdir(o.runDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const session = new EnvironmentSession({
    choice: plan.env,
    workDir: o.runDir,
    serviceSettings: plan.services,
    note: o.hooks.note,
  });
  const harnessCeiling = await harnessCeilingHere();
  const entries: RunEntryResult[] = [];
  const skipped: RunResult["skipped"] = [...incompatible];
  for (const s of incompatible) o.hooks.note(`skipping ${s.adapter}: ${s.reason}`);
  for (const n of plan.notes) o.hooks.note(`note: ${n}`);
  const runTag = runTagOf(o.runId);
  // A stop that comes after the last entry finished cut nothing short: the run is complete.
  let stoppedBeforeTheEnd = false;
  try {
    for (const [name, factory] of factories) {
      if (o.signal.aborted) {
        stoppedBeforeTheEnd = true;
        break;
      }
      const reason = await session.unavailableReason(factory.service);
      if (reason) {
        if (plan.adapters) throw new EnvironmentError(`adapter ${name} cannot run here: ${reason}`);
        skipped.push({ adapter: name, reason });
        o.hooks.note(`skipping ${name}: ${reason}`);
        continue;
      }
      const endpoint = await session.endpointFor(factory.service);
      const service = factory.service === "none" ? undefined : await session.service(factory.service);
      await probe(factory, endpoint, plan.adapterSettings[name] ?? {});
      // Faults this environment cannot inject are refused before any load, or their entry is left
      // out (with the reason) when the run did not name its adapters.
      const unsupported: { workload: WorkloadPlan; reason: string }[] = [];
      for (const workload of plan.workloads) {
        const why = leftOut.has(entryName(name, workload)) ? null : await faultsUnsupported(workload, factory, service);
        if (why) unsupported.push({ workload, reason: `scenarios.${workload.name}.faults (adapter ${name}): ${why}` });
      }
      const runnable = plan.workloads.filter((w) => !leftOut.has(entryName(name, w))).length - unsupported.length;
      for (const { workload, reason } of unsupported) {
        if (refusesEntry(plan, runnable)) throw new EnvironmentError(`${plan.scenarioFile}: ${reason}`);
        skipped.push({ adapter: name, reason });
        o.hooks.note(`skipping ${name}: ${reason}`);
        leftOut.add(entryName(name, workload));
      }
      for (const fileEntry of plan.workloads) {
        if (leftOut.has(entryName(name, fileEntry))) continue;
        const workload = workloadFor(fileEntry, name);
        if (o.signal.aborted) {
          stoppedBeforeTheEnd = true;
          break;
        }
        const readModelRedisUrl = await readModelRedis(session, workload, name);
        o.hooks.onEntryStart?.(name, workload);
        const entry = await runEntry({
          runId: o.runId,
          runTag,
          factory,
          endpoint,
          adapterSettings: entrySettings(factory, plan.adapterSettings[name] ?? {}, entryRequirements(workload)).settings,
          plan: workload,
          histogramLogPath: join(o.runDir, `${name}-${workload.name}.hlog`),
          signal: o.signal,
          onInterval: (point, latency) => o.hooks.onInterval?.(name, workload, point, latency),
          ...(readModelRedisUrl ? { readModelRedisUrl } : {}),
          ...(service ? { service } : {}),
          ...(harnessCeiling ? { harnessCeiling } : {}),
          workDir: o.runDir,
          note: o.hooks.note,
        });
        entries.push(entry);
        o.hooks.onEntryEnd?.(entry);
      }
    }
  } finally {
    await session.stopAll();
  }
  const services = await session.handles();
  const interrupted = stoppedBeforeTheEnd || entries.some((e) => e.status === "incomplete");
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    runId: o.runId,
    status: runStatus(entries, interrupted),
    scenario: { name: plan.scenarioName, file: plan.scenarioFile, ...(plan.description ? { description: plan.description } : {}), regression: { ...plan.regression } },
    startedAt,
    finishedAt: new Date().toISOString(),
    interrupted,
    environment: {
      provider: plan.env,
      clock: "monotonic (process.hrtime, CLOCK_MONOTONIC): every producer and consumer on one host",
      eventbench: EVENTBENCH_VERSION,
      host: hostInfo(),
      services: services.map((s) => ({
        kind: s.kind,
        provider: s.endpoint.provider,
        version: s.version,
        endpoint: s.endpoint.display,
        log: s.logFile ?? null,
        persistence: { ...s.persistence },
      })),
    },
    runs: entries,
    ...(plan.notes.length ? { notes: [...plan.notes] } : {}),
    skipped,
  };
}
