import type { AdapterCapabilities } from "../contract/adapter.js";

/** What Kafka offers through either client, as the adapters use it. */
export const kafkaCapabilities: AdapterCapabilities = {
  orderingPerKey: true,
  // key → partition → one member: a key's events are never split over members
  consumerGroups: true,
  // One consumer group id per group on the same topic.
  independentGroups: true,
  redeliveryOfUnacked: true,
  replay: true,
  optimisticConcurrency: false,
  readAggregate: false,
  // idempotent producers exist, but no transactional read-process-write here
  exactlyOnce: false,
  systemReportsLag: true,
  retention: true,
  inProcess: false,
};
