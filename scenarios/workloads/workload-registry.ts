import type { WorkloadPlan } from "../../harness/scenario/run-plan.js";
import { backlogDrain } from "./backlog-drain/backlog-drain.js";
import { cqrs } from "./cqrs/cqrs.js";
import { eventStore } from "./event-store/event-store.js";
import { fanOut } from "./fan-out/fan-out.js";
import { maxThroughput } from "./max-throughput/max-throughput.js";
import { publishConsume } from "./publish-consume/publish-consume.js";
import type { WorkloadDefinition } from "./workload.js";

/** Every workload the harness knows; a new workload is its folder (scenarios/workloads/<name>/) plus one line here. */
export const workloads: Readonly<Record<WorkloadPlan["workload"], WorkloadDefinition>> = {
  "publish-consume": publishConsume,
  "event-store": eventStore,
  cqrs,
  "fan-out": fanOut,
  "backlog-drain": backlogDrain,
  "max-throughput": maxThroughput,
};
