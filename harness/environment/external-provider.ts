import type { ServiceHandle } from "../../adapters/contract/service.js";
import { serviceDefinition } from "../../adapters/registry.js";
import type { EnvironmentProvider } from "./provider.js";
import { redactUrl } from "./redact-url.js";

/** The environment variable that points eventbench at a server of service `kind` someone else runs. */
export function externalVariableOf(kind: string): string {
  return serviceDefinition(kind).externalVariable;
}

export function externalEndpointFor(kind: string): string | undefined {
  const value = process.env[externalVariableOf(kind)]?.trim();
  return value ? value : undefined;
}

/** Real clusters: endpoints from the environment; never started, never stopped by eventbench. */
export class ExternalProvider implements EnvironmentProvider {
  readonly name = "external" as const;

  async unavailableReason(kind: string): Promise<string | null> {
    return externalEndpointFor(kind) ? null : `${externalVariableOf(kind)} is not set`;
  }

  async start(kind: string): Promise<ServiceHandle> {
    const url = externalEndpointFor(kind);
    if (!url) throw new Error(`--env external needs ${externalVariableOf(kind)} for ${kind}`);
    return {
      kind,
      endpoint: { url, display: redactUrl(url), provider: "external" },
      version: "reported by the server",
      owned: false,
      control: { unavailable: "eventbench did not start this server (external endpoint), so it cannot pause, kill or restart it" },
      persistence: {},
      stop: async () => {},
    };
  }
}
