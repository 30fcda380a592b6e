import { containerControl } from "../../harness/environment/docker/container-control.js";
import { onShutdown } from "../../harness/environment/shutdown-registry.js";
import { ConfigError } from "../../harness/errors/errors.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { kafkaCluster } from "./kafka-server-settings.js";

/** Pinned: Confluent Platform 8.0.0 ships Apache Kafka 4.0.0 and starts in KRaft mode. */
export const KAFKA_IMAGE = "confluentinc/cp-kafka:8.0.0";
const KAFKA_VERSION = "4.0.0";
/** The module's client listener. */
const KAFKA_PORT = 9093;

/** Kafka (KRaft, one node) in a container; testcontainers' Kafka module waits until it is up. */
export async function startKafkaContainer(options: ServiceStartOptions): Promise<ServiceHandle> {
  const cluster = kafkaCluster(options.settings);
  if (cluster.brokers > 1) {
    throw new ConfigError("services.kafka.brokers", "the docker provider starts one Kafka node; a cluster needs --env native (or KAFKA_BROKERS naming one)");
  }
  if (cluster.security !== "none") throw new ConfigError("services.kafka.security", `the docker provider starts a PLAINTEXT broker; ${cluster.security} needs --env native`);
  const { KafkaContainer } = await import("@testcontainers/kafka");
  const started = await new KafkaContainer(KAFKA_IMAGE).withKraft().start();
  const unregister = onShutdown("stop kafka container", () => started.stop().then(() => undefined));
  const bootstrap = `${started.getHost()}:${started.getMappedPort(KAFKA_PORT)}`;
  return {
    kind: "kafka",
    endpoint: { url: bootstrap, display: bootstrap, provider: "docker", serverVersion: KAFKA_VERSION },
    version: KAFKA_VERSION,
    owned: true,
    control: containerControl(started),
    persistence: { brokers: "1", replicationFactor: "1", "log.flush.interval.messages": "unset (OS page cache)" },
    stop: async () => {
      unregister();
      await started.stop();
    },
  };
}
