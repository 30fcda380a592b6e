import type { ServiceHandle } from "../provider.js";
import { onShutdown } from "../shutdown-registry.js";

/** Pinned, like every image eventbench starts. */
export const DYNAMODB_LOCAL_IMAGE = "amazon/dynamodb-local:2.6.1";
const PORT = 8000;

/** DynamoDB Local in a container: in memory, telemetry off, ready once its port listens. */
export async function startDynamoDbContainer(): Promise<ServiceHandle> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const started = await new GenericContainer(DYNAMODB_LOCAL_IMAGE)
    .withExposedPorts(PORT)
    .withCommand(["-jar", "DynamoDBLocal.jar", "-inMemory", "-sharedDb", "-disableTelemetry"])
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(60_000)
    .start();
  const unregister = onShutdown("stop dynamodb-local container", () => started.stop().then(() => undefined));
  const endpoint = `http://${started.getHost()}:${started.getMappedPort(PORT)}`;
  const version = DYNAMODB_LOCAL_IMAGE.split(":")[1] as string;
  return {
    kind: "dynamodb",
    endpoint: { url: endpoint, display: endpoint, provider: "docker", serverVersion: `DynamoDB Local ${version}` },
    version,
    owned: true,
    stop: async () => {
      unregister();
      await started.stop();
    },
  };
}
