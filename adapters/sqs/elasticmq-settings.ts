import { z } from "zod";

/** `services.sqs` of a scenario: whether the ElasticMQ eventbench starts keeps its queues and messages on disk. */
export const elasticMqSettings = z
  .object({
    persist: z
      .boolean()
      .optional()
      .describe("false (default): queues and messages live in memory and a restart loses them; true: kept in an H2 database in the run folder"),
  })
  .strict();
