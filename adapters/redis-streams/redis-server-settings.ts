import { z } from "zod";

/** `services.redis` of a scenario: how the Redis eventbench starts keeps data (persistence is part of what is measured). */
export const redisServerSettings = z
  .object({ appendfsync: z.enum(["no", "everysec", "always"]).optional().describe("AOF with this fsync policy; no (default): no AOF and no snapshots") })
  .strict();

export type RedisServerSettings = z.infer<typeof redisServerSettings>;
