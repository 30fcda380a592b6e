import { z } from "zod";
import { runResultSchema } from "../result/result-schema.js";
import { scenarioFileSchema } from "../scenario/scenario-schema.js";

/**
 * The published JSON Schemas, generated from the zod schemas the harness validates with, so the
 * files editors and other tools read can never disagree with what the harness accepts. Paths are
 * relative to the repository root.
 */
export function generatedSchemas(): Record<string, unknown> {
  return {
    "scenarios/scenario.schema.json": {
      $id: "https://eventbench.dev/schemas/scenario.schema.json",
      title: "eventbench scenario file",
      ...z.toJSONSchema(scenarioFileSchema, { io: "input", unrepresentable: "any" }),
    },
    "harness/result/result.schema.json": {
      $id: "https://eventbench.dev/schemas/result.schema.json",
      title: "eventbench result.json",
      ...z.toJSONSchema(runResultSchema, { unrepresentable: "any" }),
    },
  };
}

export function serialize(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
