import { ConfigError } from "../../harness/errors/errors.js";
import type { WorkloadScenario } from "../../harness/scenario/scenario-schema.js";

/** Where a field is, as an error names it (the file and the path of the field). */
export type At = (field: string) => string;

/** Something the plan changed from what the file says, told to the user. */
export type Note = (text: string) => void;

/** Fields only one workload reads are refused elsewhere, so a typo'd workload cannot silently ignore them. */
export function refuseFieldsOf(s: WorkloadScenario, workload: string, fields: readonly (keyof WorkloadScenario)[], at: At): void {
  for (const f of fields) {
    if (s[f] !== undefined) throw new ConfigError(at(f), `applies to workload ${workload} only (this scenario's workload is ${s.workload})`);
  }
}
