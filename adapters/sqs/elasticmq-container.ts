import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { containerControl } from "../../harness/environment/docker/container-control.js";
import { untilContainerAnswers } from "../../harness/environment/docker/container-ready.js";
import { onShutdown } from "../../harness/environment/shutdown-registry.js";
import { EnvironmentError } from "../../harness/errors/errors.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { elasticMqConfiguration } from "./elasticmq-configuration.js";
import { ELASTICMQ_VERSION } from "./elasticmq-distribution.js";
import { elasticMqSettings } from "./elasticmq-settings.js";
import { listQueuesAnswers } from "./sqs-ready.js";

/** Pinned to the release the native provider runs: one server, two providers. */
export const ELASTICMQ_IMAGE = `softwaremill/elasticmq-native:${ELASTICMQ_VERSION}`;
const PORT = 9324;
const READY_TIMEOUT_MS = 60_000;

/**
 * ElasticMQ's native-image build in a container, with the native provider's configuration (the
 * image reads /opt/elasticmq.conf), in memory only; ready once ListQueues answers.
 */
export async function startElasticMqContainer(options: ServiceStartOptions): Promise<ServiceHandle> {
  if (elasticMqSettings.parse(options.settings ?? {}).persist) {
    throw new EnvironmentError("services.sqs.persist: the ElasticMQ container runs in memory only; use the native provider (--env native) for persist: true");
  }
  const { GenericContainer, Wait } = await import("testcontainers");
  const logFile = join(options.workDir, "elasticmq-container.log");
  // Inside the container it binds every interface: 127.0.0.1 there is unreachable through the mapped port.
  const configuration = elasticMqConfiguration({ port: PORT, bindHost: "0.0.0.0", storageDir: null });
  const started = await new GenericContainer(ELASTICMQ_IMAGE)
    .withExposedPorts(PORT)
    .withCopyContentToContainer([{ content: configuration, target: "/opt/elasticmq.conf" }])
    .withLogConsumer((stream) => stream.pipe(createWriteStream(logFile, { flags: "a" })))
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(READY_TIMEOUT_MS)
    .start();
  const unregister = onShutdown("stop elasticmq container", () => started.stop().then(() => undefined));
  const stop = async () => {
    unregister();
    await started.stop();
  };
  const endpoint = `http://${started.getHost()}:${started.getMappedPort(PORT)}`;
  await untilContainerAnswers(() => listQueuesAnswers(endpoint), { timeoutMs: READY_TIMEOUT_MS, stop, silent: `ElasticMQ in ${ELASTICMQ_IMAGE} did not answer ListQueues`, logFile });
  return {
    kind: "sqs",
    endpoint: { url: endpoint, display: endpoint, provider: "docker", serverVersion: `ElasticMQ ${ELASTICMQ_VERSION} (native image)` },
    version: ELASTICMQ_VERSION,
    logFile,
    owned: true,
    control: containerControl(started),
    persistence: { storage: "in memory (ElasticMQ's default): a restart loses every queue and message" },
    stop,
  };
}
