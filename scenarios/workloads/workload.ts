import type { AdapterCapabilities } from "../../adapters/contract/adapter.js";
import type { WorkloadPlan } from "../../harness/scenario/run-plan.js";

/** A workload as the harness sees it: what it is and what it needs from an adapter. */
export interface WorkloadDefinition {
  readonly name: WorkloadPlan["workload"];
  readonly description: string;
  /** Capabilities this plan needs; a run asking for one an adapter lacks is refused before it starts. */
  requires(plan: WorkloadPlan): (keyof AdapterCapabilities)[];
}
