import type { RunEntryResult } from "../../harness/result/result-schema.js";

/** The value of an entry's figure by name; fails loudly when the figure is missing. */
export function figureValue(entry: RunEntryResult, name: string): number | null {
  const f = entry.figures.find((x) => x.name === name);
  if (!f) throw new Error(`${entry.adapter} ${entry.scenario}: no figure "${name}"; it has ${entry.figures.map((x) => x.name).join(", ")}`);
  return f.value;
}
