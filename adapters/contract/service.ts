/**
 * The service contract: how eventbench gets the server a system's adapters talk to.
 *
 * A system is one folder under `adapters/`. Beside its adapter(s) it exports one
 * `SystemDefinition` (listed in `adapters/registry.ts`), whose `service` says how each environment
 * provider gets its server: the native provider starts a local process, the docker provider a
 * container, the external provider reads an environment variable. The engine knows no system by
 * name; it only reads these definitions. See docs/adding-a-system.md.
 *
 * A definition module is imported whenever a scenario is checked, so it must stay light: zod and
 * plain data at the top, client libraries and server start-up behind `import()` in the functions.
 */
import type { z } from "zod";
import type { AdapterFactory, Endpoint } from "./adapter.js";

/**
 * The members of a server cluster eventbench started, for a fault on one of them (`kill-broker`):
 * the others carry on, and what the cluster does about the loss is what is measured.
 */
export interface ClusterMembers {
  /** The members' numbers, as a fault names them. */
  readonly members: readonly number[];
  /** Roles a fault may name instead of a number, each with what it means here (`leader`: …). */
  readonly roles: Readonly<Record<string, string>>;
  /** The member holding `role` now, as the cluster's own metadata says; `stream` is the entry's stream. */
  holder(role: string, stream: string): Promise<number>;
  /** Kills one member with no shutdown (SIGKILL). */
  kill(member: number): Promise<void>;
  /** Starts it again on its data and ports; resolves once it is a member of the cluster again. */
  restart(member: number): Promise<void>;
  /** Freezes one member (SIGSTOP): its connections stay open, nothing is answered. */
  pause(member: number): Promise<void>;
  resume(member: number): Promise<void>;
}

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
  /** A cluster's members one by one; absent: a single server. */
  readonly members?: ClusterMembers;
}

/** A running (or externally provided) service the adapters connect to. */
export interface ServiceHandle {
  /** The service's name (`ServiceDefinition.name`). */
  readonly kind: string;
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
  /**
   * The scenario's `services.<name>` block, already checked against `ServiceDefinition.settings`;
   * a start function parses it with that same schema to read it typed (defaults applied).
   */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** How the native provider runs the server as a local process (generic machinery: harness/environment/native/). */
export interface NativeService {
  /**
   * Why it cannot start here (a binary or Java missing, with what to install), or null. Quick:
   * it runs before anything starts, and is the `eventbench env status` line.
   */
  unavailableReason(): Promise<string | null>;
  /**
   * Starts the server on free loopback ports with its data and log in `workDir`, resolves once it
   * answers, and registers it for shutdown (a `NativeServer` does both).
   */
  start(options: ServiceStartOptions): Promise<ServiceHandle>;
  /**
   * `eventbench env prepare`: downloads or builds what `start` needs so that a later start works
   * offline; answers the line printed, saying what was found and where.
   */
  prepare(): Promise<string>;
  /**
   * The folder `prepare` downloads or builds into under eventbench's cache, named by version
   * (`kafka-4.3.1`): what `eventbench env downloads` prints and a CI cache is keyed on. Absent:
   * it downloads nothing.
   */
  readonly cacheFolder?: string;
}

export interface ServiceDefinition {
  /**
   * e.g. `redis`: what `AdapterFactory.service` names, `--services` takes, and the scenario's
   * `services.<name>` block is keyed by. Letters, digits and `-`.
   */
  readonly name: string;
  /**
   * The server settings a scenario may give (`services.<name>`): a strict zod object with a
   * `.describe()` on each field. The scenario schema and its published JSON Schema are built from
   * it. Absent: the system takes none.
   */
  readonly settings?: z.ZodObject;
  /**
   * The environment variable naming a server someone else runs (`REDIS_URL`): the external
   * provider's endpoint, and what `--env auto` prefers when it is set. Its value may carry
   * credentials: eventbench prints and stores it only with them removed.
   */
  readonly externalVariable: string;
  /**
   * A client settings file (TLS, SASL) for a server someone else runs, named by an environment
   * variable or by `--<name>-config FILE`, which sets that variable: the external provider passes
   * it on as `Endpoint.clientConfig`. Absent: the system takes none.
   */
  readonly clientConfig?: ClientConfigFile;
  /** How the native provider starts it; absent: the native provider cannot. */
  readonly native?: NativeService;
  /**
   * Its container for the docker provider (testcontainers, a pinned image), registered for
   * shutdown; absent: the docker provider cannot start it.
   */
  readonly container?: (options: ServiceStartOptions) => Promise<ServiceHandle>;
  /**
   * Why a TCP proxy in front of its endpoint would not carry the adapters' traffic (the
   * slow-network fault puts Toxiproxy there); absent: it can. Pause, kill and restart are
   * answered per started server by `ServiceHandle.control`.
   */
  readonly proxyUnavailable?: string;
}

export interface ClientConfigFile {
  /** e.g. `KAFKA_CONFIG`. */
  readonly variable: string;
  /** What the file is, for `--help` (`a Kafka client properties file …`). */
  readonly description: string;
  /**
   * Reads and checks the file (a ConfigError naming the key that is wrong), registers its secrets
   * with the scrubber, and answers the endpoint it names (Kafka's bootstrap.servers), if any: the
   * external variable is then not needed.
   */
  endpointOf(file: string): Promise<string | undefined>;
}

/** One system's folder, as the registry lists it. */
export interface SystemDefinition {
  /** Its adapters by name, each loaded only when used (a run never imports a client it does not use). */
  readonly adapters: Readonly<Record<string, () => Promise<AdapterFactory>>>;
  /** The server its adapters need; absent for an in-process system (the `memory` adapter). */
  readonly service?: ServiceDefinition;
}
