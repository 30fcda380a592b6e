import { appendFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../harness/environment/free-port.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { listStreamsAnswers } from "./kinesis-ready.js";
import { kinesaliteSettings } from "./kinesis-server-settings.js";

const READY_TIMEOUT_MS = 30_000;
const packageVersion = (name: string) => (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
export const KINESALITE_VERSION = packageVersion("kinesalite");
const DYNALITE_VERSION = packageVersion("dynalite");
const SERVER_PROGRAM = fileURLToPath(new URL("./kinesalite-server.js", import.meta.url));

/**
 * kinesalite (with dynalite for the lease tables, on the same port) from node_modules, run with
 * the Node that runs eventbench, on a free loopback port, its log and (with `persist`) its
 * LevelDB data in the run folder; ready once ListStreams answers.
 */
export async function startNativeKinesalite(options: ServiceStartOptions): Promise<ServiceHandle> {
  const persist = kinesaliteSettings.parse(options.settings ?? {}).persist ?? false;
  const port = await freePort();
  const dataDir = persist ? join(options.workDir, `kinesalite-${port}-data`) : null;
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const logFile = join(options.workDir, `kinesalite-${port}.log`);
  await appendFile(logFile, `[eventbench] kinesalite ${KINESALITE_VERSION}, dynalite ${DYNALITE_VERSION} (lease tables), node ${process.version}\n`);
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await NativeServer.start(
    {
      label: `kinesalite :${port}`,
      command: process.execPath,
      args: [SERVER_PROGRAM, "--port", String(port), ...(dataDir ? ["--data", dataDir] : [])],
      cwd: options.workDir,
      logFile,
    },
    () => listStreamsAnswers(endpoint),
    READY_TIMEOUT_MS,
  );
  return {
    kind: "kinesis",
    endpoint: { url: endpoint, display: endpoint, provider: "native", serverVersion: `kinesalite ${KINESALITE_VERSION}` },
    version: KINESALITE_VERSION,
    logFile,
    owned: true,
    control: server,
    persistence: dataDir
      ? { storage: `LevelDB in ${dataDir} (kinesalite and dynalite; writes not fsynced)` }
      : { storage: "in memory (kinesalite's default): a restart loses every stream, record and lease" },
    stop: () => server.stop(),
  };
}
