import type { ServiceHandle, ServiceStartOptions } from "../../adapters/contract/service.js";

export type ProviderName = "docker" | "native" | "external";
export type EnvironmentChoice = "auto" | ProviderName;

/** Where servers come from; each reads the service's definition (`adapters/<system>/system.ts`). */
export interface EnvironmentProvider {
  readonly name: ProviderName;
  /** Why this provider cannot start service `kind` here, or `null` when it can. */
  unavailableReason(kind: string): Promise<string | null>;
  start(kind: string, options: ServiceStartOptions): Promise<ServiceHandle>;
}
