import type { AdapterCapabilities, AdapterFactory } from "../../adapters/contract/adapter.js";
import { workloads } from "../../scenarios/workloads/workload-registry.js";
import type { WorkloadPlan } from "../scenario/run-plan.js";

/**
 * The capabilities an entry needs: its workload's, and `independentGroups` whenever it reads the
 * stream with more than one group (whatever the workload), since an adapter without it would
 * split one stream's events between the groups instead of giving each all of them.
 */
export function entryRequirements(plan: WorkloadPlan): (keyof AdapterCapabilities)[] {
  const needs = workloads[plan.workload].requires(plan);
  return plan.consumerGroups > 1 ? [...needs, "independentGroups"] : needs;
}

/** Why the adapter cannot take the entry's `batchSize` in one append (its `maxAppendBatch`), or null. */
export function appendBatchProblem(factory: AdapterFactory, plan: WorkloadPlan): string | null {
  const most = factory.maxAppendBatch;
  if (most === undefined || plan.batchSize <= most) return null;
  return `batchSize: one append call takes at most ${most} events; expected at most ${most}, got ${plan.batchSize}`;
}
