import { javaVersion } from "../../harness/environment/native/java-runtime.js";
import type { SystemDefinition } from "../contract/service.js";
import { ELASTICMQ_CACHE_FOLDER, ELASTICMQ_VERSION } from "./elasticmq-distribution.js";
import { elasticMqSettings } from "./elasticmq-settings.js";

/**
 * Amazon SQS on the AWS SDK; the server is ElasticMQ (Maven Central's jars with the machine's
 * Java), the softwaremill/elasticmq-native image, or SQS_ENDPOINT (real AWS included).
 */
export const sqsSystem: SystemDefinition = {
  adapters: { sqs: async () => (await import("./sqs-adapter.js")).sqsAdapterFactory },
  service: {
    name: "sqs",
    settings: elasticMqSettings,
    externalVariable: "SQS_ENDPOINT",
    native: {
      unavailableReason: async () => ((await javaVersion()) === null ? "java is not on PATH (ElasticMQ runs on the JVM: apt-get install -y openjdk-17-jre-headless)" : null),
      start: async (options) => (await import("./elasticmq-native-server.js")).startNativeElasticMq(options),
      cacheFolder: ELASTICMQ_CACHE_FOLDER,
      prepare: async () => {
        const libDir = await (await import("./elasticmq-distribution.js")).resolveElasticMq();
        return `ElasticMQ ${ELASTICMQ_VERSION} (cache: ${libDir}), java ${(await javaVersion()) ?? "missing"}`;
      },
    },
    container: async (options) => (await import("./elasticmq-container.js")).startElasticMqContainer(options),
  },
};
