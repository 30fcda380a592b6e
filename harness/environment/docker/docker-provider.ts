import type { ServiceKind } from "../../../adapters/contract/adapter.js";
import type { EnvironmentProvider, ServiceHandle, ServiceStartOptions } from "../provider.js";
import { containerRuntimeUnavailableReason } from "./container-runtime.js";
import { startDynamoDbContainer } from "./dynamodb-container.js";
import { startKafkaContainer } from "./kafka-container.js";
import { startRedisContainer } from "./redis-container.js";

/** One starter per service; a new container is one module plus one line here. */
const starters: Record<ServiceKind, ((options: ServiceStartOptions) => Promise<ServiceHandle>) | undefined> = {
  redis: startRedisContainer,
  kafka: startKafkaContainer,
  dynamodb: startDynamoDbContainer,
};

/** testcontainers: chosen when a container runtime answers. */
export class DockerProvider implements EnvironmentProvider {
  readonly name = "docker" as const;
  private runtimeReason: Promise<string | null> | undefined;

  async unavailableReason(kind: ServiceKind): Promise<string | null> {
    this.runtimeReason ??= containerRuntimeUnavailableReason();
    const reason = await this.runtimeReason;
    if (reason) return reason;
    return starters[kind] ? null : `the docker provider cannot start ${kind} yet`;
  }

  async start(kind: ServiceKind, options: ServiceStartOptions): Promise<ServiceHandle> {
    const start = starters[kind];
    if (!start) throw new Error(`the docker provider cannot start ${kind} yet`);
    return start(options);
  }
}
