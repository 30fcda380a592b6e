import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { containerControl } from "../../harness/environment/docker/container-control.js";
import { untilContainerAnswers } from "../../harness/environment/docker/container-ready.js";
import { onShutdown } from "../../harness/environment/shutdown-registry.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { postgresAnswers } from "./postgres-ready.js";
import { postgresDurability } from "./postgres-server-settings.js";

/** Pinned to the major the native provider runs (Debian's 15): results name the server version. */
export const POSTGRES_IMAGE = "postgres:15.10";
const PORT = 5432;
const READY_TIMEOUT_MS = 60_000;

/**
 * PostgreSQL in a container with the same durability flags as the native one and a generated
 * password; ready once a real connection answers (the image restarts its server once after init).
 */
export async function startPostgresContainer(options: ServiceStartOptions): Promise<ServiceHandle> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const durability = postgresDurability(options.settings);
  const password = randomBytes(18).toString("base64url");
  const logFile = join(options.workDir, "postgres-container.log");
  const started = await new GenericContainer(POSTGRES_IMAGE)
    .withExposedPorts(PORT)
    .withEnvironment({ POSTGRES_USER: "eventbench", POSTGRES_PASSWORD: password, POSTGRES_DB: "postgres" })
    .withCommand(["postgres", "-c", `fsync=${durability.fsync}`, "-c", `synchronous_commit=${durability.synchronous_commit}`, "-c", "max_connections=200"])
    .withLogConsumer((stream) => stream.pipe(createWriteStream(logFile, { flags: "a" })))
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(READY_TIMEOUT_MS)
    .start();
  const unregister = onShutdown("stop postgres container", () => started.stop().then(() => undefined));
  const stop = async () => {
    unregister();
    await started.stop();
  };
  const hostPort = `${started.getHost()}:${started.getMappedPort(PORT)}`;
  const url = `postgres://eventbench:${password}@${hostPort}/postgres`;
  await untilContainerAnswers(() => postgresAnswers(url), { timeoutMs: READY_TIMEOUT_MS, stop, silent: `PostgreSQL in ${POSTGRES_IMAGE} did not answer`, logFile });
  const version = POSTGRES_IMAGE.split(":")[1] as string;
  return {
    kind: "postgres",
    endpoint: { url, display: `postgres://***@${hostPort}/postgres`, provider: "docker", serverVersion: version },
    version,
    logFile,
    owned: true,
    control: containerControl(started),
    persistence: durability,
    stop,
  };
}
