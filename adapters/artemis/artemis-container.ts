import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { containerControl } from "../../harness/environment/docker/container-control.js";
import { untilContainerAnswers } from "../../harness/environment/docker/container-ready.js";
import { onShutdown } from "../../harness/environment/shutdown-registry.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { artemisAnswers } from "./artemis-connection.js";
import { ARTEMIS_VERSION } from "./artemis-distribution.js";

/** Pinned to the native broker's version, so both providers measure the same broker. */
export const ARTEMIS_IMAGE = `apache/activemq-artemis:${ARTEMIS_VERSION}`;
/** The image's instance keeps `artemis create`'s AMQP acceptor on 5672. */
const AMQP_PORT = 5672;
const READY_TIMEOUT_MS = 120_000;

/** Artemis in a container with a generated user (the image's ARTEMIS_USER / ARTEMIS_PASSWORD), ready once a real AMQP connection opens. */
export async function startArtemisContainer(options: ServiceStartOptions): Promise<ServiceHandle> {
  const { GenericContainer } = await import("testcontainers");
  const password = randomBytes(18).toString("base64url");
  const logFile = join(options.workDir, "artemis-container.log");
  const started = await new GenericContainer(ARTEMIS_IMAGE)
    .withExposedPorts(AMQP_PORT)
    .withEnvironment({ ARTEMIS_USER: "eventbench", ARTEMIS_PASSWORD: password, ANONYMOUS_LOGIN: "false" })
    .withLogConsumer((stream) => stream.pipe(createWriteStream(logFile, { flags: "a" })))
    .withStartupTimeout(READY_TIMEOUT_MS)
    .start();
  const unregister = onShutdown("stop artemis container", () => started.stop().then(() => undefined));
  const stop = async () => {
    unregister();
    await started.stop();
  };
  const hostPort = `${started.getHost()}:${started.getMappedPort(AMQP_PORT)}`;
  const url = `amqp://eventbench:${password}@${hostPort}`;
  await untilContainerAnswers(() => artemisAnswers(url), { timeoutMs: READY_TIMEOUT_MS, stop, silent: `ActiveMQ Artemis in ${ARTEMIS_IMAGE} opened no AMQP connection`, logFile });
  return {
    kind: "artemis",
    endpoint: { url, display: `amqp://***@${hostPort}`, provider: "docker", serverVersion: ARTEMIS_VERSION },
    version: ARTEMIS_VERSION,
    logFile,
    owned: true,
    control: containerControl(started),
    persistence: { journal: "the image's default (in the container)", journal_datasync: "true (Artemis's default)" },
    stop,
  };
}
