import { z } from "zod";

/** `services.postgres` of a scenario: the durability the PostgreSQL eventbench starts runs with (part of what is measured). */
export const postgresServerSettings = z
  .object({
    fsync: z.boolean().optional().describe("fsync WAL and data to disk (default true, PostgreSQL's default); false: nothing is safe from a machine crash"),
    synchronousCommit: z
      .enum(["on", "off", "local"])
      .optional()
      .describe("synchronous_commit: on (default) answers a commit once its WAL is flushed; off answers before, losing the last commits on a crash"),
  })
  .strict();

export type PostgresServerSettings = z.infer<typeof postgresServerSettings>;

/** The settings with PostgreSQL's defaults filled in, as `postgres -c` takes them and the result reports them. */
export function postgresDurability(settings: Readonly<Record<string, unknown>> | undefined): { fsync: "on" | "off"; synchronous_commit: string } {
  const parsed = postgresServerSettings.parse(settings ?? {});
  return { fsync: parsed.fsync === false ? "off" : "on", synchronous_commit: parsed.synchronousCommit ?? "on" };
}
