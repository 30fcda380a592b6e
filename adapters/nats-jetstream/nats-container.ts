import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { containerControl } from "../../harness/environment/docker/container-control.js";
import { onShutdown } from "../../harness/environment/shutdown-registry.js";
import { EnvironmentError } from "../../harness/errors/errors.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { natsAnswers } from "./nats-ready.js";
import { natsConfig } from "./nats-config.js";
import { natsPersistence, natsSyncInterval } from "./nats-server-settings.js";
import { NATS_SERVER_VERSION } from "./nats-server-version.js";

/** The official image at the version the native provider builds: results name the server version. */
export const NATS_IMAGE = `nats:${NATS_SERVER_VERSION}`;
const PORT = 4222;
const READY_TIMEOUT_MS = 60_000;

const CONFIG = "/etc/nats/eventbench.conf";

/**
 * nats-server with JetStream on, its store inside the container, and the same sync interval as
 * the native one (the config file sets both: `sync_interval` has no flag, and a `-sd` flag would
 * clash with the file's `store_dir`).
 */
export async function startNatsContainer(options: ServiceStartOptions): Promise<ServiceHandle> {
  const { GenericContainer } = await import("testcontainers");
  const syncInterval = natsSyncInterval(options.settings);
  const logFile = join(options.workDir, "nats-container.log");
  const started = await new GenericContainer(NATS_IMAGE)
    .withExposedPorts(PORT)
    .withCopyContentToContainer([{ content: natsConfig("0.0.0.0:4222", "/data", syncInterval), target: CONFIG }])
    .withCommand(["-c", CONFIG])
    .withLogConsumer((stream) => stream.pipe(createWriteStream(logFile, { flags: "a" })))
    .withStartupTimeout(READY_TIMEOUT_MS)
    .start();
  const unregister = onShutdown("stop nats container", () => started.stop().then(() => undefined));
  const stop = async () => {
    unregister();
    await started.stop();
  };
  const url = `nats://${started.getHost()}:${started.getMappedPort(PORT)}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await natsAnswers(url))) {
    if (Date.now() > deadline) {
      await stop();
      throw new EnvironmentError(`nats-server in ${NATS_IMAGE} did not answer JetStream within ${READY_TIMEOUT_MS} ms; its log is ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    kind: "nats",
    endpoint: { url, display: url, provider: "docker", serverVersion: NATS_SERVER_VERSION },
    version: NATS_SERVER_VERSION,
    logFile,
    owned: true,
    control: containerControl(started),
    persistence: natsPersistence(syncInterval),
    stop,
  };
}
