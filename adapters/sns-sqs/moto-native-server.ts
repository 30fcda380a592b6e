import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { emulatorProbeOptions } from "../aws/aws-client-options.js";
import { freePort } from "../../harness/environment/free-port.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { MOTO_VERSION, resolveMoto } from "./moto-distribution.js";
import { MOTO_LAUNCHER } from "./moto-launcher.js";

/** Flask's first import of moto on a busy two-core machine takes seconds. */
const READY_TIMEOUT_MS = 60_000;

/** Whether an SNS endpoint answers an API call (not merely accepts TCP): the readiness check of moto, which takes any credentials. */
async function listTopicsAnswers(endpoint: string): Promise<boolean> {
  const client = new SNSClient(emulatorProbeOptions(endpoint));
  try {
    await client.send(new ListTopicsCommand({}));
    return true;
  } finally {
    client.destroy();
  }
}

/**
 * moto's server mode (SNS and SQS, and every other service moto mocks, on one port) from the
 * virtual environment in eventbench's cache (run by moto-launcher.ts), on a free 127.0.0.1 port, its log in the run folder;
 * ready once SNS's ListTopics answers. Everything lives in the process's memory.
 */
export async function startNativeMoto(options: ServiceStartOptions): Promise<ServiceHandle> {
  const python = await resolveMoto();
  const port = await freePort();
  await mkdir(options.workDir, { recursive: true });
  const logFile = join(options.workDir, `moto-${port}.log`);
  await appendFile(logFile, `[eventbench] moto ${MOTO_VERSION} server mode from ${python}\n`);
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await NativeServer.start(
    { label: `moto :${port}`, command: python, args: ["-c", MOTO_LAUNCHER, "-H", "127.0.0.1", "-p", String(port)], cwd: options.workDir, logFile },
    () => listTopicsAnswers(endpoint),
    READY_TIMEOUT_MS,
  );
  return {
    kind: "sns",
    endpoint: { url: endpoint, display: endpoint, provider: "native", serverVersion: `moto ${MOTO_VERSION} (server mode)` },
    version: MOTO_VERSION,
    logFile,
    owned: true,
    control: server,
    persistence: { storage: "in memory (moto has no storage): a restart loses every topic, subscription, queue and message" },
    stop: () => server.stop(),
  };
}
