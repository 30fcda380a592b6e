import { ConfigError } from "../../../harness/errors/errors.js";
import { parseDuration } from "../../../harness/scenario/duration.js";
import type { WorkloadScenario } from "../../../harness/scenario/scenario-schema.js";
import { refuseFieldsOf, type At } from "../plan-fields.js";

/** event-store: what a command is and how aggregates are read back. */
export interface EventStorePlan {
  readonly eventsPerCommand: { readonly min: number; readonly max: number };
  /** Fraction of commands sent with a version one behind the producer's knowledge. */
  readonly staleness: number;
  /** Null: no rehydration. */
  readonly rehydrate: { readonly intervalS: number; readonly snapshotEvery: number } | null;
}

export function resolveEventStore(s: WorkloadScenario, at: At): EventStorePlan | null {
  if (s.workload !== "event-store") {
    refuseFieldsOf(s, "event-store", ["eventsPerCommand", "staleness", "rehydrate"], at);
    return null;
  }
  // One command is one append of one aggregate's events: batching commands would mix their conflicts.
  if (s.batchSize !== 1) throw new ConfigError(at("batchSize"), "event-store appends one command per call; expected 1 (use eventsPerCommand for several events)");
  const eventsPerCommand = s.eventsPerCommand ?? { min: 1, max: 1 };
  if (eventsPerCommand.min > eventsPerCommand.max) {
    throw new ConfigError(at("eventsPerCommand"), `expected min ≤ max, got min ${eventsPerCommand.min} and max ${eventsPerCommand.max}`);
  }
  let rehydrate: EventStorePlan["rehydrate"] = null;
  if (s.rehydrate) {
    const { every, rate, snapshotEvery } = s.rehydrate;
    if ((every === undefined) === (rate === undefined)) throw new ConfigError(at("rehydrate"), 'expected exactly one of every (e.g. "1s") or rate (per second)');
    const intervalS = every !== undefined ? (parseDuration(every) as number) : 1 / (rate as number);
    if (!(intervalS > 0)) throw new ConfigError(at("rehydrate.every"), "expected an interval above 0");
    rehydrate = { intervalS, snapshotEvery };
  }
  return { eventsPerCommand, staleness: s.staleness ?? 0, rehydrate };
}
