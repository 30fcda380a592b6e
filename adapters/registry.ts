import type { AdapterFactory } from "./contract/adapter.js";
import { artemisSystem } from "./artemis/system.js";
import type { ServiceDefinition, SystemDefinition } from "./contract/service.js";
import { dynamoDbStreamsSystem } from "./dynamodb-streams/system.js";
import { kafkaSystem } from "./kafka/system.js";
import { kinesisSystem } from "./kinesis/system.js";
import { memorySystem } from "./memory/system.js";
import { natsJetStreamSystem } from "./nats-jetstream/system.js";
import { postgresSystem } from "./postgres/system.js";
import { rabbitmqSystem } from "./rabbitmq/system.js";
import { redisStreamsSystem } from "./redis-streams/system.js";
import { snsSqsSystem } from "./sns-sqs/system.js";
import { sqsSystem } from "./sqs/system.js";

export { withCurrentAdapterNames } from "./kafka/former-adapter-names.js";

/**
 * Every system the harness knows: a new system is one folder under `adapters/` exporting a
 * `SystemDefinition` (its adapters and its service), plus one line here. The order is the order
 * of `eventbench list`, `env status` and a run's entries.
 */
const systems: readonly SystemDefinition[] = [memorySystem, redisStreamsSystem, kafkaSystem, dynamoDbStreamsSystem, postgresSystem, rabbitmqSystem, artemisSystem, natsJetStreamSystem, sqsSystem, snsSqsSystem, kinesisSystem];

const loaders: Readonly<Record<string, () => Promise<AdapterFactory>>> = Object.assign({}, ...systems.map((s) => s.adapters));

export function adapterNames(): string[] {
  return Object.keys(loaders);
}

export async function loadAdapterFactory(name: string): Promise<AdapterFactory> {
  const load = loaders[name];
  if (!load) throw new Error(`unknown adapter "${name}"; known adapters: ${adapterNames().join(", ")}`);
  return load();
}

/** The services of the systems that need a server, in registry order. */
export function serviceDefinitions(): readonly ServiceDefinition[] {
  return systems.flatMap((s) => (s.service ? [s.service] : []));
}

export function serviceNames(): string[] {
  return serviceDefinitions().map((s) => s.name);
}

/** The definition of service `name`; throws naming the known ones when there is none. */
export function serviceDefinition(name: string): ServiceDefinition {
  const found = serviceDefinitions().find((s) => s.name === name);
  if (!found) throw new Error(`unknown service "${name}"; known services: ${serviceNames().join(", ")}`);
  return found;
}
