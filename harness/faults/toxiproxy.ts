import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Endpoint } from "../../adapters/contract/adapter.js";
import { serviceDefinition } from "../../adapters/registry.js";
import { EnvironmentError } from "../errors/errors.js";
import { eventbenchCacheDir } from "../environment/cache-dir.js";
import { freePort } from "../environment/free-port.js";
import { NativeServer } from "../environment/native/native-server.js";

const execFileAsync = promisify(execFile);
const TOXIPROXY_VERSION = "2.12.0";
const BINARY = "toxiproxy-server";
const PROXY = "eventbench";
const READY_TIMEOUT_MS = 10_000;

/** The folder `env prepare` builds it into, under eventbench's cache (named by version, so a new version is a new folder). */
export const TOXIPROXY_CACHE_FOLDER = `toxiproxy-${TOXIPROXY_VERSION}`;
const cachedBinary = () => join(eventbenchCacheDir(), TOXIPROXY_CACHE_FOLDER, BINARY);

async function onPath(command: string): Promise<boolean> {
  try {
    await execFileAsync("sh", ["-c", `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

/** Toxiproxy's server from PATH or from eventbench's cache; null when neither has it. */
export async function findToxiproxy(): Promise<string | null> {
  if (await onPath(BINARY)) return BINARY;
  return existsSync(cachedBinary()) ? cachedBinary() : null;
}

/**
 * Why the proxy cannot slow the way to service `service` (`none`: an in-process adapter's), as
 * its definition says, or null when it can.
 */
export function proxyUnavailableFor(service: string): string | null {
  if (service === "none") return "slow-network needs a server to slow the way to; this adapter runs in-process";
  const why = serviceDefinition(service).proxyUnavailable;
  return why ? `slow-network cannot slow ${service}: ${why}` : null;
}

export const MISSING = `Toxiproxy is not installed: the slow-network fault needs ${BINARY} on PATH, or Go on PATH for \`eventbench env prepare\` to build it (go install github.com/Shopify/toxiproxy/v2/cmd/server@v${TOXIPROXY_VERSION})`;

/** `eventbench env prepare`: builds Toxiproxy from the Go module proxy into the cache when it is missing and Go is there. */
export async function prepareToxiproxy(): Promise<string> {
  const found = await findToxiproxy();
  if (found) return `Toxiproxy ${found === BINARY ? "on PATH" : `${TOXIPROXY_VERSION} (${found})`}`;
  if (!(await onPath("go"))) return MISSING;
  const dir = join(eventbenchCacheDir(), TOXIPROXY_CACHE_FOLDER);
  await mkdir(dir, { recursive: true });
  try {
    await execFileAsync("go", ["install", `github.com/Shopify/toxiproxy/v2/cmd/server@v${TOXIPROXY_VERSION}`], { env: { ...process.env, GOBIN: dir } });
  } catch (error) {
    return `building Toxiproxy failed: ${((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split("\n").slice(-2).join(" ")}`;
  }
  await rename(join(dir, "server"), cachedBinary());
  return `Toxiproxy ${TOXIPROXY_VERSION} built into ${dir}`;
}

/** The endpoint with its host and port replaced: how adapters are pointed at the proxy. */
function throughProxy(endpoint: Endpoint, port: number): Endpoint {
  const swap = (raw: string) => {
    const url = new URL(raw);
    url.hostname = "127.0.0.1";
    url.port = String(port);
    return url.toString().replace(/\/$/, "");
  };
  return { ...endpoint, url: swap(endpoint.url), display: `${swap(endpoint.display)} (Toxiproxy → ${endpoint.display})` };
}

function upstreamOf(endpoint: Endpoint): string {
  const url = new URL(endpoint.url);
  return `${url.hostname}:${url.port}`;
}

/**
 * Toxiproxy on loopback between the harness and one server: the adapters connect through it for
 * the whole entry, and the slow-network fault adds latency (each way) and a bandwidth limit to it
 * for a while. A service whose clients go around a proxy (they learn the server's own address
 * from the first one they reach) says so in its definition, and is refused rather than measured
 * unslowed.
 */
export class SlowNetworkProxy {
  private constructor(
    private readonly server: NativeServer,
    private readonly api: string,
    readonly endpoint: Endpoint,
  ) {}

  static async start(target: Endpoint, service: string, workDir: string): Promise<SlowNetworkProxy> {
    const refused = proxyUnavailableFor(service);
    if (refused) throw new EnvironmentError(refused);
    const binary = await findToxiproxy();
    if (!binary) throw new EnvironmentError(MISSING);
    const [apiPort, listenPort] = [await freePort(), await freePort()];
    const api = `http://127.0.0.1:${apiPort}`;
    const server = await NativeServer.start(
      { label: `toxiproxy :${apiPort}`, command: binary, args: ["-host", "127.0.0.1", "-port", String(apiPort)], logFile: join(workDir, `toxiproxy-${apiPort}.log`) },
      async () => (await fetch(`${api}/version`)).ok,
      READY_TIMEOUT_MS,
    );
    const proxy = new SlowNetworkProxy(server, api, throughProxy(target, listenPort));
    try {
      await proxy.call("POST", "/proxies", { name: PROXY, listen: `127.0.0.1:${listenPort}`, upstream: upstreamOf(target), enabled: true });
    } catch (error) {
      await server.stop();
      throw error;
    }
    return proxy;
  }

  /** Adds `latencyMs` (± jitter) each way, and a bandwidth limit each way when given. */
  async slow(latencyMs: number, jitterMs: number, bandwidthKBps: number | null): Promise<void> {
    for (const stream of ["upstream", "downstream"]) {
      await this.call("POST", `/proxies/${PROXY}/toxics`, { name: `latency-${stream}`, type: "latency", stream, attributes: { latency: latencyMs, jitter: jitterMs } });
      if (bandwidthKBps !== null) {
        await this.call("POST", `/proxies/${PROXY}/toxics`, { name: `bandwidth-${stream}`, type: "bandwidth", stream, attributes: { rate: bandwidthKBps } });
      }
    }
  }

  async restore(): Promise<void> {
    const toxics = (await this.call("GET", `/proxies/${PROXY}/toxics`)) as { name: string }[];
    for (const t of toxics) await this.call("DELETE", `/proxies/${PROXY}/toxics/${t.name}`);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.api}${path}`, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
    });
    if (!response.ok) throw new EnvironmentError(`Toxiproxy ${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }
}
