import type { Endpoint } from "../../adapters/contract/adapter.js";
import type { ServiceHandle } from "../../adapters/contract/service.js";
import { ConfigError, EnvironmentError } from "../errors/errors.js";
import { DockerProvider } from "./docker/docker-provider.js";
import { ExternalProvider, externalVariablesSet } from "./external-provider.js";
import { NativeProvider } from "./native/native-provider.js";
import type { EnvironmentChoice, EnvironmentProvider } from "./provider.js";
import { addSecrets } from "./known-secrets.js";
import { credentialsInUrl } from "./redact-url.js";

export const IN_PROCESS_ENDPOINT: Endpoint = { url: "memory:", display: "memory:", provider: "in-process" };

export interface SessionOptions {
  readonly choice: EnvironmentChoice;
  readonly workDir: string;
  /** The scenario's `services` block: settings per service name. */
  readonly serviceSettings: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;
  /** Human-readable notes (provider chosen, fallbacks, downloads). */
  readonly note: (message: string) => void;
}

/**
 * The servers of one run: picks a provider per service (`auto`: an external endpoint when its
 * variable is set, else docker when a container runtime answers, else native processes), starts
 * each service once on first use, and stops every server it started.
 */
export class EnvironmentSession {
  private readonly external = new ExternalProvider();
  private readonly native = new NativeProvider();
  private readonly docker = new DockerProvider();
  private readonly started = new Map<string, Promise<ServiceHandle>>();
  private readonly chosen = new Map<string, Promise<EnvironmentProvider>>();

  constructor(private readonly o: SessionOptions) {}

  /** Why service `kind` (`none`: an in-process adapter's) cannot be had in this environment, or null. */
  async unavailableReason(kind: string): Promise<string | null> {
    if (kind === "none") return null;
    const provider = await this.providerFor(kind);
    const reason = await provider.unavailableReason(kind);
    return reason ? `${provider.name} provider: ${reason}` : null;
  }

  async endpointFor(kind: string): Promise<Endpoint> {
    if (kind === "none") return IN_PROCESS_ENDPOINT;
    return (await this.service(kind)).endpoint;
  }

  service(kind: string): Promise<ServiceHandle> {
    let handle = this.started.get(kind);
    if (!handle) {
      handle = this.startService(kind);
      this.started.set(kind, handle);
    }
    return handle;
  }

  /** Services started or attached so far (failed starts left out). */
  async handles(): Promise<ServiceHandle[]> {
    const settled = await Promise.allSettled(this.started.values());
    return settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  }

  async stopAll(): Promise<void> {
    for (const handle of (await this.handles()).reverse()) await handle.stop();
  }

  private async startService(kind: string): Promise<ServiceHandle> {
    const provider = await this.providerFor(kind);
    const reason = await provider.unavailableReason(kind);
    if (reason) throw new EnvironmentError(`cannot start ${kind} with the ${provider.name} provider: ${reason}`);
    try {
      const handle = await provider.start(kind, { workDir: this.o.workDir, settings: this.o.serviceSettings[kind] ?? {} });
      // A server eventbench started may carry a generated password (postgres) in its endpoint.
      addSecrets(credentialsInUrl(handle.endpoint.url));
      this.o.note(`${kind}: ${handle.owned ? "started" : "using"} ${handle.endpoint.display} (${provider.name}${handle.owned ? `, version ${handle.version}` : ""})`);
      return handle;
    } catch (error) {
      // A bad client settings file is bad input (exit 2), not a server that could not start.
      if (error instanceof EnvironmentError || error instanceof ConfigError) throw error;
      throw new EnvironmentError(`cannot start ${kind} with the ${provider.name} provider: ${(error as Error).message}`, { cause: error });
    }
  }

  private providerFor(kind: string): Promise<EnvironmentProvider> {
    let p = this.chosen.get(kind);
    if (!p) {
      p = this.choose(kind);
      this.chosen.set(kind, p);
    }
    return p;
  }

  private async choose(kind: string): Promise<EnvironmentProvider> {
    switch (this.o.choice) {
      case "external":
        return this.external;
      case "native":
        return this.native;
      case "docker": {
        const reason = await this.docker.unavailableReason(kind);
        if (!reason) return this.docker;
        this.o.note(`${kind}: the docker provider is not usable here (${reason}); falling back to the native provider`);
        return this.native;
      }
      case "auto": {
        const set = externalVariablesSet(kind);
        if (set.length > 0) {
          this.o.note(`${kind}: ${set.join(" and ")} ${set.length === 1 ? "is" : "are"} set, using that server`);
          return this.external;
        }
        const reason = await this.docker.unavailableReason(kind);
        if (!reason) return this.docker;
        this.o.note(`${kind}: ${reason}; using the native provider`);
        return this.native;
      }
    }
  }
}
