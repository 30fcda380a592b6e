import type { AdapterFactory } from "./contract/adapter.js";

/**
 * Every adapter the harness knows, loaded lazily so that a run never imports a client library it
 * does not use. A new adapter is one folder under `adapters/` plus one line here.
 */
const loaders: Record<string, () => Promise<AdapterFactory>> = {
  memory: async () => (await import("./memory/memory-adapter.js")).memoryAdapterFactory,
  "redis-streams": async () => (await import("./redis-streams/redis-streams-adapter.js")).redisStreamsAdapterFactory,
  kafka: async () => (await import("./kafka/kafka-adapter.js")).kafkaAdapterFactory,
  "kafka-platformatic": async () => (await import("./kafka/platformatic-adapter.js")).platformaticKafkaAdapterFactory,
  "dynamodb-streams": async () => (await import("./dynamodb-streams/dynamodb-streams-adapter.js")).dynamoDbStreamsAdapterFactory,
};

export function adapterNames(): string[] {
  return Object.keys(loaders);
}

export async function loadAdapterFactory(name: string): Promise<AdapterFactory> {
  const load = loaders[name];
  if (!load) throw new Error(`unknown adapter "${name}"; known adapters: ${adapterNames().join(", ")}`);
  return load();
}
