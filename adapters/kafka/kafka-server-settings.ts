import { z } from "zod";

/** Brokers the native provider starts at most: three JVMs already fill a 2-core machine. */
const MAX_BROKERS = 5;

/**
 * `services.kafka` of a scenario: the cluster the native provider starts. Replication is part of
 * what is measured (what a broker kill loses with acks 1 against acks all), so it is a setting.
 */
export const kafkaServerSettings = z
  .object({
    brokers: z
      .number()
      .int()
      .min(1)
      .max(MAX_BROKERS)
      .optional()
      .describe(`KRaft nodes, each broker and controller, on loopback (1 default, at most ${MAX_BROKERS})`),
    replicationFactor: z
      .number()
      .int()
      .min(1)
      .max(MAX_BROKERS)
      .optional()
      .describe("replicas of each topic's partitions, the run's and Kafka's own (default: the number of brokers); at most brokers"),
    minInsyncReplicas: z
      .number()
      .int()
      .min(1)
      .max(MAX_BROKERS)
      .optional()
      .describe("min.insync.replicas: replicas that must have an acks=all write before it is acknowledged (default 1, Kafka's); at most replicationFactor"),
    security: z
      .enum(["none", "sasl-ssl"])
      .optional()
      .describe("sasl-ssl: clients connect over a SASL_SSL listener (SCRAM-SHA-512, a CA and certificate made with openssl at start) through a client properties file, as to a managed cluster; none (default): PLAINTEXT"),
  })
  .strict()
  .superRefine((s, ctx) => {
    const brokers = s.brokers ?? 1;
    const rf = s.replicationFactor ?? brokers;
    if (rf > brokers) ctx.addIssue({ code: "custom", path: ["replicationFactor"], message: `expected at most brokers (${brokers}), got ${rf}` });
    if ((s.minInsyncReplicas ?? 1) > rf) {
      ctx.addIssue({ code: "custom", path: ["minInsyncReplicas"], message: `expected at most replicationFactor (${rf}), got ${s.minInsyncReplicas}` });
    }
  });

export interface KafkaCluster {
  readonly brokers: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly security: "none" | "sasl-ssl";
}

/** The settings with their defaults filled in: what the brokers are started with and the result reports. */
export function kafkaCluster(settings: Readonly<Record<string, unknown>> | undefined): KafkaCluster {
  const s = kafkaServerSettings.parse(settings ?? {});
  const brokers = s.brokers ?? 1;
  return { brokers, replicationFactor: s.replicationFactor ?? brokers, minInsyncReplicas: s.minInsyncReplicas ?? 1, security: s.security ?? "none" };
}
