import { resolve } from "node:path";
import type { ServiceHandle } from "../../adapters/contract/service.js";
import { serviceDefinition } from "../../adapters/registry.js";
import { ConfigError } from "../errors/errors.js";
import type { EnvironmentProvider } from "./provider.js";
import { redactUrl } from "./redact-url.js";

/** The environment variable that points eventbench at a server of service `kind` someone else runs. */
function externalVariableOf(kind: string): string {
  return serviceDefinition(kind).externalVariable;
}

function externalEndpointFor(kind: string): string | undefined {
  const value = process.env[externalVariableOf(kind)]?.trim();
  return value ? value : undefined;
}

/** The client settings file the environment names for `kind` (KAFKA_CONFIG …), if the service takes one and it is set. */
export function clientConfigFileFor(kind: string): string | undefined {
  const variable = serviceDefinition(kind).clientConfig?.variable;
  const value = variable === undefined ? undefined : process.env[variable]?.trim();
  return value ? resolve(value) : undefined;
}

/** The variables that point at an external server of `kind`, those set, for `--env auto`'s note; empty: none is. */
export function externalVariablesSet(kind: string): string[] {
  const definition = serviceDefinition(kind);
  return [definition.externalVariable, definition.clientConfig?.variable].filter((v): v is string => v !== undefined && Boolean(process.env[v]?.trim()));
}

/** Real clusters: endpoints from the environment; never started, never stopped by eventbench. */
export class ExternalProvider implements EnvironmentProvider {
  readonly name = "external" as const;

  async unavailableReason(kind: string): Promise<string | null> {
    if (externalVariablesSet(kind).length > 0) return null;
    const variable = serviceDefinition(kind).clientConfig?.variable;
    return `${externalVariableOf(kind)}${variable ? ` (or ${variable})` : ""} is not set`;
  }

  async start(kind: string): Promise<ServiceHandle> {
    const definition = serviceDefinition(kind);
    const file = clientConfigFileFor(kind);
    // The file is read here too (not only by the adapters, in their workers): its secrets join this process's scrubber.
    const named = file === undefined ? undefined : await definition.clientConfig?.endpointOf(file);
    const url = externalEndpointFor(kind) ?? named;
    if (!url) {
      if (file !== undefined) throw new ConfigError(file, `names no server (bootstrap.servers), and ${definition.externalVariable} is not set; expected one of them`);
      throw new Error(`--env external needs ${externalVariableOf(kind)} for ${kind}`);
    }
    return {
      kind,
      endpoint: { url, display: redactUrl(url), provider: "external", ...(file !== undefined ? { clientConfig: file } : {}) },
      version: "reported by the server",
      owned: false,
      control: { unavailable: "eventbench did not start this server (external endpoint), so it cannot pause, kill or restart it" },
      persistence: {},
      stop: async () => {},
    };
  }
}
