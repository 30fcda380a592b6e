import type { WorkloadDefinition } from "../workload.js";

/**
 * The basic event pipeline: producers append at the scheduled rate, each consumer group reads
 * everything, every member acknowledging what it handled. Measures publish and end-to-end latency,
 * throughput, lag and delivery.
 */
export const publishConsume: WorkloadDefinition = {
  name: "publish-consume",
  description: "producers append at a scheduled rate; consumer groups read and acknowledge everything",
  requires(plan) {
    return plan.consumersPerGroup > 1 ? ["consumerGroups"] : [];
  },
};
