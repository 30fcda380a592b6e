import type { ServiceHandle, ServiceStartOptions } from "../../../adapters/contract/service.js";
import { serviceDefinition } from "../../../adapters/registry.js";
import type { EnvironmentProvider } from "../provider.js";
import { containerRuntimeUnavailableReason } from "./container-runtime.js";

const cannot = (kind: string) => `the docker provider cannot start ${kind} yet`;

/** testcontainers: chosen when a container runtime answers; each service brings its own container. */
export class DockerProvider implements EnvironmentProvider {
  readonly name = "docker" as const;
  private runtimeReason: Promise<string | null> | undefined;

  async unavailableReason(kind: string): Promise<string | null> {
    this.runtimeReason ??= containerRuntimeUnavailableReason();
    const reason = await this.runtimeReason;
    if (reason) return reason;
    return serviceDefinition(kind).container ? null : cannot(kind);
  }

  async start(kind: string, options: ServiceStartOptions): Promise<ServiceHandle> {
    const container = serviceDefinition(kind).container;
    if (!container) throw new Error(cannot(kind));
    return container(options);
  }
}
