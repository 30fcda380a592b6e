import { z } from "zod";

/** `services.dynamodb` of a scenario: where the DynamoDB Local eventbench starts keeps its tables. */
export const dynamoDbLocalSettings = z
  .object({ inMemory: z.boolean().optional().describe("true (default): tables live in memory and a restart loses them; false: kept in a file in the run folder") })
  .strict();
