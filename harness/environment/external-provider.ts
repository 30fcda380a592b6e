import type { ServiceKind } from "../../adapters/contract/adapter.js";
import type { EnvironmentProvider, ServiceHandle } from "./provider.js";
import { redactUrl } from "./redact-url.js";

/** The environment variable that points eventbench at a server someone else runs. */
export const EXTERNAL_ENDPOINT_VARIABLES: Record<ServiceKind, string> = {
  redis: "REDIS_URL",
  kafka: "KAFKA_BROKERS",
  dynamodb: "DYNAMODB_ENDPOINT",
};

export function externalEndpointFor(kind: ServiceKind): string | undefined {
  const value = process.env[EXTERNAL_ENDPOINT_VARIABLES[kind]]?.trim();
  return value ? value : undefined;
}

/** Real clusters: endpoints from the environment; never started, never stopped by eventbench. */
export class ExternalProvider implements EnvironmentProvider {
  readonly name = "external" as const;

  async unavailableReason(kind: ServiceKind): Promise<string | null> {
    return externalEndpointFor(kind) ? null : `${EXTERNAL_ENDPOINT_VARIABLES[kind]} is not set`;
  }

  async start(kind: ServiceKind): Promise<ServiceHandle> {
    const url = externalEndpointFor(kind);
    if (!url) throw new Error(`--env external needs ${EXTERNAL_ENDPOINT_VARIABLES[kind]} for ${kind}`);
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
