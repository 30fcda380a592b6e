import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { eventbenchCacheDir } from "../../harness/environment/cache-dir.js";
import { freePort } from "../../harness/environment/free-port.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import { EnvironmentError } from "../../harness/errors/errors.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { natsConfig } from "./nats-config.js";
import { natsAnswers } from "./nats-ready.js";
import { natsPersistence, natsSyncInterval } from "./nats-server-settings.js";
import { NATS_CACHE_FOLDER, NATS_SERVER_VERSION } from "./nats-server-version.js";

const execFileAsync = promisify(execFile);

const NATS_SERVER_MODULE = `github.com/nats-io/nats-server/v2@v${NATS_SERVER_VERSION}`;
const READY_TIMEOUT_MS = 20_000;
const BUILD_TIMEOUT_MS = 600_000;

export const natsServerBinary = (): string => join(eventbenchCacheDir(), NATS_CACHE_FOLDER, "nats-server");

/** The version the cached binary reports (`nats-server: v2.15.3`), or null when it is not built. */
export async function natsServerVersion(): Promise<string | null> {
  try {
    await access(natsServerBinary(), constants.X_OK);
    const { stdout } = await execFileAsync(natsServerBinary(), ["--version"]);
    return /v(\d+\.\d+\.\d+\S*)/.exec(stdout)?.[1] ?? "unknown";
  } catch {
    return null;
  }
}

async function goVersion(): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync("go", ["version"]);
    return stdout.trim();
  } catch {
    return null;
  }
}

/** The `env status` line when the binary is missing: what builds it. */
export async function natsUnavailableReason(): Promise<string | null> {
  if ((await natsServerVersion()) !== null) return null;
  const go = (await goVersion()) === null ? "; it needs Go on PATH (apt-get install -y golang-go, or go.dev)" : "";
  return `nats-server ${NATS_SERVER_VERSION} is not built into ${join(eventbenchCacheDir(), NATS_CACHE_FOLDER)}: run eventbench env prepare (go install ${NATS_SERVER_MODULE})${go}`;
}

/**
 * `env prepare`: builds nats-server at the pinned version with `go install` (the Go module proxy
 * serves its source) into the cache folder; a later start needs nothing from the network.
 */
export async function prepareNatsServer(progress: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<string> {
  const dir = join(eventbenchCacheDir(), NATS_CACHE_FOLDER);
  let version = await natsServerVersion();
  if (version === null) {
    if ((await goVersion()) === null) throw new EnvironmentError(`go is not on PATH: nats-server ${NATS_SERVER_VERSION} is built with go install ${NATS_SERVER_MODULE}`);
    progress(`eventbench: building nats-server ${NATS_SERVER_VERSION} with go install into ${dir} (first use) …`);
    await mkdir(dir, { recursive: true });
    const started = Date.now();
    try {
      await execFileAsync("go", ["install", NATS_SERVER_MODULE], { env: { ...process.env, GOBIN: dir }, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new EnvironmentError(`go install ${NATS_SERVER_MODULE} failed: ${(e.stderr ?? e.message).trim().split("\n").slice(-5).join("\n")}`);
    }
    version = await natsServerVersion();
    if (version === null) throw new EnvironmentError(`go install ${NATS_SERVER_MODULE} finished but ${natsServerBinary()} does not run`);
    progress(`eventbench: nats-server ${version} built (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  return `nats-server ${version} (cache: ${natsServerBinary()})`;
}

export interface NativeNatsHandle extends ServiceHandle {
  readonly port: number;
}

/**
 * nats-server with JetStream on a free 127.0.0.1 port, its config, store and log in `workDir`.
 * Everything is in the config file: its `store_dir` and the `-sd` flag would clash. Ready once a
 * real connection gets JetStream's account info.
 */
export async function startNativeNats(options: ServiceStartOptions): Promise<NativeNatsHandle> {
  const version = await natsServerVersion();
  if (version === null) throw new EnvironmentError((await natsUnavailableReason()) ?? "nats-server is not built");
  const syncInterval = natsSyncInterval(options.settings);
  const port = await freePort();
  await mkdir(options.workDir, { recursive: true });
  const storeDir = join(options.workDir, `nats-${port}`);
  await mkdir(storeDir, { recursive: true });
  const configFile = join(options.workDir, `nats-${port}.conf`);
  await writeFile(configFile, natsConfig(`127.0.0.1:${port}`, storeDir, syncInterval));
  const logFile = join(options.workDir, `nats-server-${port}.log`);
  const url = `nats://127.0.0.1:${port}`;
  const server = await NativeServer.start({ label: `nats-server :${port}`, command: natsServerBinary(), args: ["-c", configFile], logFile }, () => natsAnswers(url), READY_TIMEOUT_MS);
  return {
    kind: "nats",
    endpoint: { url, display: url, provider: "native", serverVersion: version },
    version,
    logFile,
    owned: true,
    control: server,
    persistence: natsPersistence(syncInterval),
    port,
    stop: () => server.stop(),
  };
}
