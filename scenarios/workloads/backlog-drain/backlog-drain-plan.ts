import { ConfigError } from "../../../harness/errors/errors.js";
import { parseDuration } from "../../../harness/scenario/duration.js";
import type { WorkloadScenario } from "../../../harness/scenario/scenario-schema.js";
import { refuseFieldsOf, type At, type Note } from "../plan-fields.js";

/** backlog-drain: how big a backlog is built before the consumers start. */
export interface BacklogDrainPlan {
  readonly backlog: number;
}

/** --duration given on the command line: how long the load phase may last, at what rate. */
export interface DurationFlag {
  readonly rate: number;
  readonly durationS: number;
}

/**
 * backlog-drain: the backlog is produced at the scenario's rate with no consumer running, so the
 * produce phase lasts backlog / rate; a warm-up would only be more backlog.
 */
export function resolveBacklogDrain(s: WorkloadScenario, at: At, flag?: DurationFlag, note?: Note): BacklogDrainPlan | null {
  if (s.workload !== "backlog-drain") {
    refuseFieldsOf(s, "backlog-drain", ["backlog"], at);
    return null;
  }
  if (s.executor !== "constant-arrival-rate") throw new ConfigError(at("executor"), "backlog-drain produces its backlog at a constant rate; expected constant-arrival-rate");
  if (s.backlog === undefined) throw new ConfigError(at("backlog"), "backlog-drain needs the backlog size in events (e.g. backlog: 10000)");
  if (s.duration !== undefined) throw new ConfigError(at("duration"), "backlog-drain takes its produce time from backlog / rate; remove duration");
  if (parseDuration(s.warmup) !== 0) throw new ConfigError(at("warmup"), "backlog-drain has no warm-up: with the consumers stopped it would only add to the backlog; expected 0s");
  if (s.consumerGroups < 1) throw new ConfigError(at("consumerGroups"), "backlog-drain measures consumers catching up; expected at least 1 group");
  if (!flag) return { backlog: s.backlog };
  // --duration bounds the produce phase: the backlog becomes what the rate produces in that time.
  const backlog = Math.max(1, Math.round(flag.rate * flag.durationS));
  if (backlog !== s.backlog) note?.(`backlog ${backlog} events (${flag.rate}/s for --duration ${flag.durationS} s) instead of the file's ${s.backlog}`);
  return { backlog };
}
