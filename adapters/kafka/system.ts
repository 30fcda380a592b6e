import { javaVersion } from "../../harness/environment/native/java-runtime.js";
import type { SystemDefinition } from "../contract/service.js";
import { KAFKA_CACHE_FOLDER } from "./kafka-distribution.js";
import { kafkaServerSettings } from "./kafka-server-settings.js";

/**
 * Apache Kafka, through two clients (@platformatic/kafka as `kafka`, kafkajs, unmaintained, as
 * `kafkajs`); the server is a KRaft cluster (one node by default, `services.kafka.brokers`) from
 * the pinned jars (Maven Central) with the machine's Java, the cp-kafka image (one node), or
 * KAFKA_BROKERS and/or KAFKA_CONFIG (a client properties file with TLS and SASL).
 */
export const kafkaSystem: SystemDefinition = {
  adapters: {
    kafka: async () => (await import("./platformatic-adapter.js")).platformaticKafkaAdapterFactory,
    kafkajs: async () => (await import("./kafkajs-adapter.js")).kafkajsAdapterFactory,
  },
  service: {
    name: "kafka",
    settings: kafkaServerSettings,
    externalVariable: "KAFKA_BROKERS",
    clientConfig: {
      variable: "KAFKA_CONFIG",
      description: "a Kafka client properties file (--command-config format: bootstrap.servers, security.protocol, sasl.*, ssl.*)",
      endpointOf: async (file) => (await import("./kafka-client-config.js")).loadKafkaClientConfig(file).bootstrapServers?.join(","),
    },
    native: {
      unavailableReason: async () => ((await javaVersion()) === null ? "java is not on PATH (Kafka needs Java 17+)" : null),
      start: async (options) => (await import("./kafka-native-broker.js")).startNativeKafka(options),
      cacheFolder: KAFKA_CACHE_FOLDER,
      prepare: async () => {
        const dist = await (await import("./kafka-distribution.js")).resolveKafka();
        const java = await javaVersion();
        return `Apache Kafka ${dist.version} (${dist.source}: ${dist.libDir}), java ${java ?? "missing"}`;
      },
    },
    container: async (options) => (await import("./kafka-container.js")).startKafkaContainer(options),
    proxyUnavailable: "clients connect to the address the broker advertises, not to a proxy in front of the bootstrap server",
  },
};
