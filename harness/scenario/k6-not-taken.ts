/**
 * k6 vocabulary eventbench does not take, refused by name with what to use instead. A k6 user's
 * scenario (YAML, or TypeScript typed with @types/k6, which allows all of it) would otherwise meet
 * a bare "unknown field" or "expected one of the executors", or worse, have it silently dropped.
 */

export interface ScenarioIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const EXECUTORS: Readonly<Record<string, string>> = {
  "shared-iterations": "eventbench paces events by time, not by an iteration count: use constant-arrival-rate (rate × duration events), or constant-vus for a closed loop",
  "per-vu-iterations": "eventbench paces events by time, not by an iteration count: use constant-vus (closed loop, vus append loops for a duration), or constant-arrival-rate",
  "ramping-vus": "use ramping-arrival-rate (stages of events/s, open loop), or constant-vus (a closed loop at a fixed VU count); a closed loop with a changing VU count is not there",
  "externally-controlled": "eventbench has no API to change the load during a run: use ramping-arrival-rate with stages",
};

const FIELDS: Readonly<Record<string, string>> = {
  exec: "eventbench runs no script functions: the entry's workload field says what it does",
  startTime: "entries run one after another and never share the machine; remove startTime (events that must flow together belong in one entry, e.g. fan-out)",
  gracefulStop: "use drainTimeout: how long consumers may take to catch up after producing stops",
  gracefulRampDown: "use drainTimeout: how long consumers may take to catch up after producing stops",
  env: "settings go in adapterSettings (the clients) and services (the servers) at the top of the file",
  tags: "an entry is tagged by its name (scenario) and adapter in result.json and on the metrics endpoint; remove tags",
  options: "k6's browser options have no meaning here; remove options",
  iterations: "eventbench paces by time: use constant-arrival-rate (rate × duration events)",
  maxDuration: "use duration (constant-arrival-rate, constant-vus) or stages (ramping-arrival-rate)",
  startVUs: "ramping-vus is not taken: use ramping-arrival-rate's startRate",
};

const THRESHOLD_FIELDS: Readonly<Record<string, string>> = {
  abortOnFail:
    "eventbench judges thresholds when the run ends and does not abort it (a failed threshold still fails the run, exit 1); remove abortOnFail or set it to false",
  delayAbortEval: "has a meaning only with abortOnFail, which eventbench does not take; remove it",
};

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function thresholdIssues(thresholds: unknown, at: (string | number)[]): ScenarioIssue[] {
  if (!isRecord(thresholds)) return [];
  const out: ScenarioIssue[] = [];
  for (const [metric, list] of Object.entries(thresholds)) {
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (!isRecord(item)) return;
      for (const [field, why] of Object.entries(THRESHOLD_FIELDS)) {
        if (field === "abortOnFail" ? item[field] === true : item[field] !== undefined) out.push({ path: [...at, metric, i, field], message: `k6's ${field} is not taken: ${why}` });
      }
    });
  }
  return out;
}

/** Every k6 executor, scenario field and threshold option in `data` that eventbench does not take. */
export function k6NotTaken(data: unknown): ScenarioIssue[] {
  if (!isRecord(data)) return [];
  const out = thresholdIssues(data.thresholds, ["thresholds"]);
  if (!isRecord(data.scenarios)) return out;
  for (const [name, entry] of Object.entries(data.scenarios)) {
    if (!isRecord(entry)) continue;
    const executor = typeof entry.executor === "string" ? EXECUTORS[entry.executor] : undefined;
    if (executor) out.push({ path: ["scenarios", name, "executor"], message: `k6's ${String(entry.executor)} is not taken: ${executor}` });
    for (const [field, why] of Object.entries(FIELDS)) {
      if (entry[field] !== undefined) out.push({ path: ["scenarios", name, field], message: `k6's ${field} is not taken: ${why}` });
    }
    out.push(...thresholdIssues(entry.thresholds, ["scenarios", name, "thresholds"]));
  }
  return out;
}
