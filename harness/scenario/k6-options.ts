import type { Options, Scenario } from "k6/options";
import type { z } from "zod";
import type { commonFieldsSchema, scenarioFileSchema } from "./scenario-schema.js";

/**
 * The type of a scenario written in TypeScript (`scenarios/*.ts` exporting `options`, as a k6
 * script does): each entry is one of k6's own scenario types (@types/k6) with eventbench's fields
 * beside it, and the thresholds are k6's. The eventbench fields come from the same zod schema that
 * validates YAML files, so the two cannot drift. k6 allows more than eventbench takes
 * (shared-iterations, abortOnFail, startTime …): loading refuses those by name (k6-not-taken.ts).
 */
export type EventbenchScenario = Scenario & Omit<z.input<typeof commonFieldsSchema>, keyof Scenario>;

export type EventbenchOptions = Omit<z.input<typeof scenarioFileSchema>, "scenarios" | "thresholds"> & {
  readonly scenarios: Readonly<Record<string, EventbenchScenario>>;
  readonly thresholds?: Options["thresholds"];
};
