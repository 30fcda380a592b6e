import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Socket } from "node:net";
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

/** Sends PING over a raw socket: a readiness probe that needs no client library. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
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
    "--port", String(port),
    "--dir", dataDir,
    "--save", "",
    "--appendonly", aof ? "yes" : "no",
    ...(aof ? ["--appendfsync", aof] : []),
    "--protected-mode", "yes",
    "--enable-debug-command", "local",
    "--daemonize", "no",
    "--logfile", "",
  ];
  const server = await NativeServer.start({ label: `redis-server :${port}`, command: REDIS_BINARY, args, logFile }, () => ping(port), READY_TIMEOUT_MS);
  return {
    kind: "redis",
    endpoint: { url: `redis://127.0.0.1:${port}`, display: `redis://127.0.0.1:${port}`, provider: "native" },
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
