import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { EnvironmentError } from "../../harness/errors/errors.js";
import { freePort } from "../../harness/environment/free-port.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { redisServerSettings } from "./redis-server-settings.js";

const execFileAsync = promisify(execFile);
const REDIS_BINARY = "redis-server";
const READY_TIMEOUT_MS = 15_000;

export async function redisServerVersion(): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync(REDIS_BINARY, ["--version"]);
    return /v=([\d.]+)/.exec(stdout)?.[1] ?? "unknown";
  } catch {
    return null;
  }
}

/**
 * Sends PING over a raw socket (TLS when the server speaks only TLS): a readiness probe that needs
 * no client library. NOAUTH is an answer too: with ACL users only, PING needs a login.
 */
function ping(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    const send = () => socket.write("PING\r\n");
    // Readiness only: the server's certificate is checked by the clients that use it.
    const socket = tls ? tlsConnect({ port, host: "127.0.0.1", rejectUnauthorized: false }, send) : new Socket().connect(port, "127.0.0.1", send);
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/**
 * A redis-server that takes only TLS connections (`--port 0 --tls-port`) with the certificate and
 * key given, and clients' certificates checked against `caFile` when they send one; with `users`,
 * the default user is off and each user may do everything on eventbench's keys.
 */
export interface SecureRedisOptions {
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile: string };
  readonly users?: readonly { readonly name: string; readonly password: string }[];
}

function secureArgs(port: number, secure: SecureRedisOptions): string[] {
  const args: string[] = [];
  if (secure.tls) {
    args.push("--port", "0", "--tls-port", String(port), "--tls-cert-file", secure.tls.certFile, "--tls-key-file", secure.tls.keyFile, "--tls-ca-cert-file", secure.tls.caFile, "--tls-auth-clients", "optional");
  } else {
    args.push("--port", String(port));
  }
  if (secure.users?.length) {
    args.push("--user", "default", "off");
    for (const u of secure.users) args.push("--user", u.name, "on", `>${u.password}`, "~*", "&*", "+@all");
  }
  return args;
}

export interface NativeRedisHandle extends ServiceHandle {
  readonly port: number;
}

/**
 * Starts `redis-server` from PATH on a free loopback port, data and log in `workDir`.
 * `DEBUG` is enabled for local connections only: the coordinated-omission test stalls the server
 * with `DEBUG SLEEP`.
 */
export async function startNativeRedis(
  options: ServiceStartOptions,
  fixedPort?: number,
  secure: SecureRedisOptions = {},
): Promise<NativeRedisHandle> {
  const version = await redisServerVersion();
  if (version === null) {
    throw new EnvironmentError(
      `${REDIS_BINARY} is not on PATH: install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis), or point REDIS_URL at a running server and use --env external`,
    );
  }
  const settings = redisServerSettings.parse(options.settings ?? {});
  const port = fixedPort ?? (await freePort());
  const dataDir = join(options.workDir, `redis-${port}`);
  await mkdir(dataDir, { recursive: true });
  const logFile = join(options.workDir, `redis-server-${port}.log`);
  const aof = settings.appendfsync === "no" ? undefined : settings.appendfsync;
  const args = [
    "--bind", "127.0.0.1",
    ...secureArgs(port, secure),
    "--dir", dataDir,
    "--save", "",
    "--appendonly", aof ? "yes" : "no",
    ...(aof ? ["--appendfsync", aof] : []),
    "--protected-mode", "yes",
    "--enable-debug-command", "local",
    "--daemonize", "no",
    "--logfile", "",
  ];
  const server = await NativeServer.start({ label: `redis-server :${port}`, command: REDIS_BINARY, args, logFile }, () => ping(port, secure.tls !== undefined), READY_TIMEOUT_MS);
  const scheme = secure.tls ? "rediss" : "redis";
  return {
    kind: "redis",
    endpoint: { url: `${scheme}://127.0.0.1:${port}`, display: `${scheme}://127.0.0.1:${port}`, provider: "native" },
    version,
    logFile,
    owned: true,
    control: server,
    // Without AOF nothing survives a kill: snapshots are off too (`save ""`).
    persistence: aof ? { appendonly: "yes", appendfsync: aof, save: "off" } : { appendonly: "no", save: "off" },
    port,
    stop: () => server.stop(),
  };
}
