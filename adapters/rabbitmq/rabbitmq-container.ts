import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { containerControl } from "../../harness/environment/docker/container-control.js";
import { onShutdown } from "../../harness/environment/shutdown-registry.js";
import { EnvironmentError } from "../../harness/errors/errors.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { amqpAnswers } from "./amqp-connection.js";

/** Pinned: results name the broker version. 3.13 is the last 3.x line (the native broker is Debian's 3.10). */
export const RABBITMQ_IMAGE = "rabbitmq:3.13.7-management";
const AMQP_PORT = 5672;
const READY_TIMEOUT_MS = 120_000;

/** RabbitMQ in a container with a generated user, the stream plugin enabled, ready once a real AMQP connection opens. */
export async function startRabbitmqContainer(options: ServiceStartOptions): Promise<ServiceHandle> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const password = randomBytes(18).toString("base64url");
  const logFile = join(options.workDir, "rabbitmq-container.log");
  const started = await new GenericContainer(RABBITMQ_IMAGE)
    .withExposedPorts(AMQP_PORT)
    .withCopyContentToContainer([
      { content: "[rabbitmq_management,rabbitmq_stream].\n", target: "/etc/rabbitmq/enabled_plugins" },
      { content: `default_user = eventbench\ndefault_pass = ${password}\ndefault_user_tags.administrator = true\n`, target: "/etc/rabbitmq/conf.d/90-eventbench.conf" },
    ])
    .withLogConsumer((stream) => stream.pipe(createWriteStream(logFile, { flags: "a" })))
    .withWaitStrategy(Wait.forLogMessage(/Server startup complete/))
    .withStartupTimeout(READY_TIMEOUT_MS)
    .start();
  const unregister = onShutdown("stop rabbitmq container", () => started.stop().then(() => undefined));
  const stop = async () => {
    unregister();
    await started.stop();
  };
  const hostPort = `${started.getHost()}:${started.getMappedPort(AMQP_PORT)}`;
  const url = `amqp://eventbench:${password}@${hostPort}`;
  if (!(await amqpAnswers(url))) {
    await stop();
    throw new EnvironmentError(`RabbitMQ in ${RABBITMQ_IMAGE} logged its start but refused an AMQP connection; its log is ${logFile}`);
  }
  const version = (RABBITMQ_IMAGE.split(":")[1] as string).replace("-management", "");
  return {
    kind: "rabbitmq",
    endpoint: { url, display: `amqp://***@${hostPort}`, provider: "docker", serverVersion: version },
    version,
    logFile,
    owned: true,
    control: containerControl(started),
    persistence: { nodes: "1", quorum_wal_sync_method: "image default (datasync)", stream_fsync: "no" },
    stop,
  };
}
