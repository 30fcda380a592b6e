import { z } from "zod";

/** `services.kinesis` of a scenario: whether the kinesalite eventbench starts keeps its streams and leases on disk. */
export const kinesaliteSettings = z
  .object({
    persist: z
      .boolean()
      .optional()
      .describe("false (default): streams, records and leases live in memory and a restart loses them; true: kept in LevelDB in the run folder"),
  })
  .strict();
