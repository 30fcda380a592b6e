import type { Endpoint, ServiceKind } from "../../adapters/contract/adapter.js";

export type ProviderName = "docker" | "native" | "external";
export type EnvironmentChoice = "auto" | ProviderName;

/** What fault injection can do to a server eventbench started. */
export interface ServerControl {
  /** Freezes the server (SIGSTOP, docker pause): connections stay open, nothing is answered. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Why `kill` and `restart` cannot be done here; absent when they can. */
  readonly restartUnavailable?: string;
  /** Kills the server with no shutdown (SIGKILL: nothing flushed that was not already). */
  kill(): Promise<void>;
  /** Starts the killed server again on the same data and port; resolves once it answers. */
  restart(): Promise<void>;
}

/** A running (or externally provided) service the adapters connect to. */
export interface ServiceHandle {
  readonly kind: ServiceKind;
  readonly endpoint: Endpoint;
  /** Server version as the server itself reports it or as it was resolved, e.g. `7.0.15`. */
  readonly version: string;
  /** Server log file inside the run folder, when the provider started the server. */
  readonly logFile?: string;
  /** Whether `stop` stops a server this provider started (false for external endpoints). */
  readonly owned: boolean;
  /** Pause, kill and restart for fault injection; absent: why not (an external server). */
  readonly control: ServerControl | { readonly unavailable: string };
  /** Durability settings in force as the server was started (`appendfsync: everysec` …). */
  readonly persistence: Readonly<Record<string, string>>;
  /** Stops the server if this provider started it; never touches an external one. Idempotent. */
  stop(): Promise<void>;
}

export interface ServiceStartOptions {
  /** Folder where server logs and data go (the run folder, or a temp folder for tests). */
  readonly workDir: string;
  /** Service-specific settings from the scenario (e.g. Redis `appendonly`). */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface EnvironmentProvider {
  readonly name: ProviderName;
  /** Why this provider cannot start `kind` here, or `null` when it can. */
  unavailableReason(kind: ServiceKind): Promise<string | null>;
  start(kind: ServiceKind, options: ServiceStartOptions): Promise<ServiceHandle>;
}
