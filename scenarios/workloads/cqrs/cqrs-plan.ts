import { ConfigError } from "../../../harness/errors/errors.js";
import type { WorkloadScenario } from "../../../harness/scenario/scenario-schema.js";
import { refuseFieldsOf, type At } from "../plan-fields.js";

/** cqrs: where the projection goes and how often it is queried. */
export interface CqrsPlan {
  readonly readModel: "in-process-map" | "redis-hash";
  readonly queryRate: number;
}

export function resolveCqrs(s: WorkloadScenario, at: At): CqrsPlan | null {
  if (s.workload !== "cqrs") {
    refuseFieldsOf(s, "cqrs", ["readModel", "queryRate"], at);
    return null;
  }
  if (s.consumerGroups < 1) throw new ConfigError(at("consumerGroups"), "cqrs projects through the first consumer group; expected at least 1");
  return { readModel: s.readModel ?? "in-process-map", queryRate: s.queryRate ?? 100 };
}
