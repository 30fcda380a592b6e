import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { EnvironmentError } from "../../harness/errors/errors.js";
import { freePort } from "../../harness/environment/free-port.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { PostgresServerControl } from "./postgres-server-control.js";
import { postgresDurability } from "./postgres-server-settings.js";
import { postgresAnswers } from "./postgres-ready.js";

const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 30_000;
const DEBIAN_BIN_ROOT = "/usr/lib/postgresql";
/** Unix socket paths are limited to 107 bytes; the socket file name adds ~20. */
const SOCKET_DIR_MAX = 85;
const INSTALL_HINT = "apt-get install -y postgresql";

/** The folder holding initdb and postgres: PATH first, else Debian's newest /usr/lib/postgresql/<major>/bin. */
export async function postgresBinDir(): Promise<string | null> {
  const executable = async (dir: string) =>
    (await Promise.all(["initdb", "postgres"].map((b) => access(join(dir, b), constants.X_OK).then(() => true, () => false)))).every(Boolean);
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) if (await executable(dir)) return dir;
  const majors = (await readdir(DEBIAN_BIN_ROOT).catch(() => [] as string[])).filter((m) => /^\d+$/.test(m)).sort((a, b) => Number(b) - Number(a));
  for (const major of majors) if (await executable(join(DEBIAN_BIN_ROOT, major, "bin"))) return join(DEBIAN_BIN_ROOT, major, "bin");
  return null;
}

export async function postgresServerVersion(): Promise<string | null> {
  const bin = await postgresBinDir();
  if (!bin) return null;
  try {
    const { stdout } = await execFileAsync(join(bin, "postgres"), ["--version"]);
    return /(\d+(?:\.\d+)+)/.exec(stdout)?.[1] ?? "unknown";
  } catch {
    return null;
  }
}

/** Who runs the server: PostgreSQL refuses to run as root, so root hands it to `nobody` with setpriv. */
interface ServerUser {
  readonly uid: number;
  readonly gid: number;
  /** Prefix that runs a command as this user; empty when it is the current one. */
  readonly wrap: readonly string[];
}

async function serverUser(): Promise<ServerUser> {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? -1, wrap: [] };
  const passwd = await readFile("/etc/passwd", "utf8").catch(() => "");
  const nobody = passwd.split("\n").map((l) => l.split(":")).find((f) => f[0] === "nobody");
  if (!nobody) throw new EnvironmentError("running as root and there is no user `nobody` to run PostgreSQL as (it refuses to run as root): run eventbench as an unprivileged user");
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"];
  const found = (await Promise.all(setpriv.map((p) => access(p, constants.X_OK).then(() => p, () => null)))).find(Boolean);
  if (!found) throw new EnvironmentError("running as root: PostgreSQL refuses to, and setpriv (util-linux) is missing to run it as `nobody`: apt-get install -y util-linux, or run eventbench as an unprivileged user");
  const [id, gid] = [Number(nobody[2]), Number(nobody[3])];
  return { uid: id, gid, wrap: [found, `--reuid=${id}`, `--regid=${gid}`, "--clear-groups", "--"] };
}

/** The server user must reach its data below `workDir`: add search permission where it is missing on folders we own. */
async function letUserTraverse(workDir: string, user: ServerUser): Promise<void> {
  if (user.wrap.length === 0) return;
  const owner = process.getuid?.();
  for (let dir = resolve(workDir); ; dir = dirname(dir)) {
    const info = await stat(dir);
    if ((info.mode & 0o001) === 0) {
      if (info.uid !== owner) throw new EnvironmentError(`PostgreSQL runs as nobody and cannot reach ${workDir}: ${dir} is not searchable by others; use a work folder under a searchable path`);
      await chmod(dir, info.mode | 0o001);
    }
    if (dir === dirname(dir)) return;
  }
}

async function run(command: string, args: readonly string[], what: string): Promise<void> {
  try {
    await execFileAsync(command, [...args], { timeout: 120_000 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new EnvironmentError(`${what} failed: ${(e.stderr ?? e.message).trim().slice(-800)}`);
  }
}

export interface NativePostgresHandle extends ServiceHandle {
  readonly port: number;
}

/**
 * eventbench's own PostgreSQL: `initdb` into `workDir` (never the system cluster), then `postgres`
 * on a free 127.0.0.1 port with its socket in the run folder, a generated password for TCP
 * (local socket: trust, reachable only through the run folder). Ready once a real connection answers.
 */
export async function startNativePostgres(options: ServiceStartOptions): Promise<NativePostgresHandle> {
  const bin = await postgresBinDir();
  const version = await postgresServerVersion();
  if (!bin || !version) {
    throw new EnvironmentError(`PostgreSQL (initdb, postgres) is neither on PATH nor in ${DEBIAN_BIN_ROOT}/*/bin: ${INSTALL_HINT}, or point DATABASE_URL at a running server and use --env external`);
  }
  const durability = postgresDurability(options.settings);
  const user = await serverUser();
  const port = await freePort();
  await mkdir(options.workDir, { recursive: true });
  await letUserTraverse(options.workDir, user);
  const dataDir = join(options.workDir, `postgres-${port}`);
  await mkdir(dataDir, { mode: 0o700 });
  const password = randomBytes(18).toString("base64url");
  const pwFile = join(options.workDir, `postgres-${port}.pw`);
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (user.wrap.length) await Promise.all([chown(dataDir, user.uid, user.gid), chown(pwFile, user.uid, user.gid)]);
  try {
    await run(user.wrap[0] ?? join(bin, "initdb"), [...user.wrap.slice(1), ...(user.wrap.length ? [join(bin, "initdb")] : []),
      "-D", dataDir, "-U", "eventbench", "--pwfile", pwFile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync",
    ], "initdb");
  } finally {
    await rm(pwFile, { force: true });
  }
  let socketDir = dataDir;
  if (socketDir.length > SOCKET_DIR_MAX) {
    socketDir = await mkdtemp(join(tmpdir(), "eventbench-pg-"));
    if (user.wrap.length) await chown(socketDir, user.uid, user.gid);
  }
  const logFile = join(options.workDir, `postgres-${port}.log`);
  const postgresArgs = [
    "-D", dataDir, "-p", String(port),
    "-c", "listen_addresses=127.0.0.1",
    "-c", `unix_socket_directories=${socketDir}`,
    "-c", `fsync=${durability.fsync}`,
    "-c", `synchronous_commit=${durability.synchronous_commit}`,
    // A shared machine: small buffers; enough connections for 16 writers and the consumers.
    "-c", "shared_buffers=32MB",
    "-c", "max_connections=200",
  ];
  const command = user.wrap[0] ?? join(bin, "postgres");
  const args = [...user.wrap.slice(1), ...(user.wrap.length ? [join(bin, "postgres")] : []), ...postgresArgs];
  const url = `postgres://eventbench:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const display = `postgres://***@127.0.0.1:${port}/postgres`;
  // SIGINT is PostgreSQL's fast shutdown; its SIGTERM waits for every client to disconnect.
  const server = await NativeServer.start({ label: `postgres :${port}`, command, args, logFile, stopSignal: "SIGINT" }, () => postgresAnswers(url), READY_TIMEOUT_MS);
  const control = new PostgresServerControl(server);
  return {
    kind: "postgres",
    endpoint: { url, display, provider: "native", serverVersion: version },
    version,
    logFile,
    owned: true,
    control,
    persistence: durability,
    port,
    stop: async () => {
      await control.stop();
      if (socketDir !== dataDir) await rm(socketDir, { recursive: true, force: true });
    },
  };
}
