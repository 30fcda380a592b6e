import { ConfigError } from "../../../harness/errors/errors.js";
import type { WorkloadScenario } from "../../../harness/scenario/scenario-schema.js";
import type { At } from "../plan-fields.js";

/** fan-out needs several groups: with one, it is publish-consume. */
export function checkFanOut(s: WorkloadScenario, at: At): void {
  if (s.workload === "fan-out" && s.consumerGroups < 2) throw new ConfigError(at("consumerGroups"), `fan-out reads one stream with several independent groups; expected 2 or more, got ${s.consumerGroups}`);
}
