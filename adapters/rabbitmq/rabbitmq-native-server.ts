import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, realpath, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { connect } from "node:net";
import { delimiter, join } from "node:path";
import { EnvironmentError } from "../../harness/errors/errors.js";
import { freePort } from "../../harness/environment/free-port.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { amqpAnswers } from "./amqp-connection.js";

/**
 * Debian's start script. `/usr/sbin/rabbitmq-server` on PATH is a wrapper that switches to the
 * `rabbitmq` user and writes to /var/log: eventbench runs the script behind it as its own node.
 */
const DEBIAN_SCRIPT = "/usr/lib/rabbitmq/bin/rabbitmq-server";
const INSTALL_HINT = "apt-get install -y rabbitmq-server (with a /usr/sbin/policy-rc.d that exits 101, so the system service is not started)";
/** A loaded two-core machine boots a node with its plugins in 5 to 30 s. */
const READY_TIMEOUT_MS = 120_000;
const EPMD_READY_TIMEOUT_MS = 10_000;
/** The plugins both adapters need: the management API (queue statistics) and the stream protocol. */
const PLUGINS = ["rabbitmq_management", "rabbitmq_stream"];

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}

async function onPath(binary: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) if (await executable(join(dir, binary))) return join(dir, binary);
  return null;
}

/** The RabbitMQ start script eventbench runs: Debian's, else a `rabbitmq-server` on PATH that is the script itself (a generic-unix unpack). */
export async function rabbitmqServerScript(): Promise<string | null> {
  if (await executable(DEBIAN_SCRIPT)) return DEBIAN_SCRIPT;
  const found = await onPath("rabbitmq-server");
  if (!found) return null;
  return /rabbitmq_server-[\d.]+\/sbin\/rabbitmq-server$/.test(await realpath(found)) ? found : null;
}

/** `3.10.8`, read from the versioned folder the script lives in (no Erlang VM needs to boot for it). */
export async function rabbitmqServerVersion(): Promise<string | null> {
  const script = await rabbitmqServerScript();
  if (!script) return null;
  return /rabbitmq_server-(\d+(?:\.\d+)+)/.exec(await realpath(script))?.[1] ?? "unknown";
}

/** Why the native RabbitMQ cannot start here, or null. */
export async function rabbitmqUnavailableReason(): Promise<string | null> {
  if (!(await rabbitmqServerScript())) return `rabbitmq-server is not installed (${INSTALL_HINT})`;
  if (!(await onPath("epmd")) || !(await onPath("erl"))) return `Erlang (erl, epmd) is not on PATH (${INSTALL_HINT})`;
  return null;
}

/** epmd is up once its port accepts a connection (loopback refuses at once while it is not). */
async function epmdListens(port: number): Promise<boolean> {
  const socket = connect(port, "127.0.0.1");
  try {
    await once(socket, "connect");
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/** Distinct free loopback ports (the kernel may hand out one just released twice). */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

export interface NativeRabbitmqHandle extends ServiceHandle {
  readonly port: number;
  /** The stream protocol's port (`rabbitmq-stream`). */
  readonly streamPort: number;
  /** The management API (`http://127.0.0.1:<port>`), same user and password as AMQP. */
  readonly managementPort: number;
}

/**
 * Durability in force: quorum queues confirm a publish once its Raft log entry is fsynced
 * (`wal_sync_method`, set explicitly in advanced.config); streams confirm once written, with no
 * fsync (RabbitMQ relies on replicas for them, and this node has none).
 */
const PERSISTENCE = { nodes: "1", quorum_wal_sync_method: "datasync", stream_fsync: "no (written to the page cache before the confirm)" };

/**
 * eventbench's own RabbitMQ node, never the system service: node name, config, database, logs,
 * enabled plugins and Erlang cookie (HOME) in the run folder; AMQP, stream, management,
 * distribution and epmd ports free and on 127.0.0.1; its own epmd (the node does not start a
 * daemon that would outlive it); a generated user and password. Ready once a real AMQP connection
 * opens. The process eventbench holds is the Erlang VM itself (the script execs it), so pause
 * (SIGSTOP), kill and restart reach the broker.
 */
export async function startNativeRabbitmq(options: ServiceStartOptions): Promise<NativeRabbitmqHandle> {
  const script = await rabbitmqServerScript();
  const epmd = await onPath("epmd");
  const version = await rabbitmqServerVersion();
  if (!script || !epmd || !version || !(await onPath("erl"))) {
    throw new EnvironmentError(`RabbitMQ cannot start natively: ${await rabbitmqUnavailableReason()}; or point RABBITMQ_URL at a running broker and use --env external`);
  }
  const [port, managementPort, streamPort, epmdPort, distPort] = (await freePorts(5)) as [number, number, number, number, number];
  const base = join(options.workDir, `rabbitmq-${port}`);
  const home = join(base, "home");
  await mkdir(home, { recursive: true });
  const password = randomBytes(18).toString("base64url");
  const files = {
    config: join(base, "rabbitmq.conf"),
    advanced: join(base, "advanced.config"),
    env: join(base, "rabbitmq-env.conf"),
    plugins: join(base, "enabled_plugins"),
  };
  await writeFile(join(home, ".erlang.cookie"), randomBytes(24).toString("base64url"), { mode: 0o400 });
  await writeFile(
    files.config,
    [
      `listeners.tcp.1 = 127.0.0.1:${port}`,
      "management.tcp.ip = 127.0.0.1",
      `management.tcp.port = ${managementPort}`,
      `stream.listeners.tcp.1 = 127.0.0.1:${streamPort}`,
      "stream.advertised_host = 127.0.0.1",
      `stream.advertised_port = ${streamPort}`,
      "default_user = eventbench",
      `default_pass = ${password}`,
      "default_user_tags.administrator = true",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  await writeFile(files.advanced, `[{ra, [{wal_sync_method, ${PERSISTENCE.quorum_wal_sync_method}}]}].\n`);
  await writeFile(files.env, "# eventbench's node reads no system rabbitmq-env.conf\n");
  await writeFile(files.plugins, `[${PLUGINS.join(",")}].\n`);

  // Inherited RABBITMQ_* and ERL_* variables would configure another node than this one.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("RABBITMQ_") && !k.startsWith("ERL_")));
  const epmdEnv = { ...inherited, ERL_EPMD_PORT: String(epmdPort), ERL_EPMD_ADDRESS: "127.0.0.1" };
  const env = {
    ...epmdEnv,
    HOME: home,
    RABBITMQ_NODENAME: `eventbench-${port}@localhost`,
    RABBITMQ_BASE: base,
    RABBITMQ_CONFIG_FILE: files.config,
    RABBITMQ_ADVANCED_CONFIG_FILE: files.advanced,
    RABBITMQ_CONF_ENV_FILE: files.env,
    RABBITMQ_ENABLED_PLUGINS_FILE: files.plugins,
    RABBITMQ_PLUGINS_EXPAND_DIR: join(base, "plugins-expand"),
    RABBITMQ_MNESIA_BASE: join(base, "mnesia"),
    RABBITMQ_LOG_BASE: join(base, "log"),
    RABBITMQ_LOGS: "-",
    RABBITMQ_PID_FILE: join(base, "rabbitmq.pid"),
    RABBITMQ_DIST_PORT: String(distPort),
    // Exec the VM in place of the script (no signal-forwarding shell in between); -noinput keeps
    // it from reading a shell from stdin.
    RABBITMQ_ALLOW_INPUT: "true",
    RABBITMQ_SERVER_START_ARGS: "-noinput",
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}",
  };
  const epmdServer = await NativeServer.start(
    { label: `epmd :${epmdPort}`, command: epmd, args: ["-port", String(epmdPort), "-address", "127.0.0.1"], env: epmdEnv, logFile: join(options.workDir, `epmd-${epmdPort}.log`) },
    () => epmdListens(epmdPort),
    EPMD_READY_TIMEOUT_MS,
  );
  const url = `amqp://eventbench:${password}@127.0.0.1:${port}`;
  const logFile = join(options.workDir, `rabbitmq-${port}.log`);
  let server: NativeServer;
  try {
    server = await NativeServer.start({ label: `rabbitmq-server :${port}`, command: script, args: [], cwd: base, env, logFile }, () => amqpAnswers(url), READY_TIMEOUT_MS);
  } catch (error) {
    await epmdServer.stop();
    throw error;
  }
  return {
    kind: "rabbitmq",
    endpoint: { url, display: `amqp://***@127.0.0.1:${port}`, provider: "native", serverVersion: version },
    version,
    logFile,
    owned: true,
    control: server,
    persistence: PERSISTENCE,
    port,
    streamPort,
    managementPort,
    stop: async () => {
      await server.stop();
      await epmdServer.stop();
    },
  };
}
