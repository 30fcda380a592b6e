import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort } from "../../harness/environment/free-port.js";
import { javaVersion } from "../../harness/environment/native/java-runtime.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import { EnvironmentError } from "../../harness/errors/errors.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { ELASTICMQ_MAIN_CLASS, ELASTICMQ_VERSION, resolveElasticMq } from "./elasticmq-distribution.js";
import { elasticMqConfiguration } from "./elasticmq-configuration.js";
import { elasticMqSettings } from "./elasticmq-settings.js";
import { listQueuesAnswers } from "./sqs-ready.js";

/** A JVM's first start on a busy two-core machine: 35 s was seen here at load 16. */
const READY_TIMEOUT_MS = 120_000;
/** Queues and messages are small; the heap carries them (in memory) and the requests in flight. */
const MAX_HEAP = "-Xmx512m";
/**
 * ElasticMQ (an SQS-compatible server) from Maven Central's jars with the machine's Java, on a free
 * loopback port, its configuration, log and (with `persist`) its data in the run folder; ready once
 * ListQueues answers.
 */
export async function startNativeElasticMq(options: ServiceStartOptions): Promise<ServiceHandle> {
  if ((await javaVersion()) === null) throw new EnvironmentError("java is not on PATH: ElasticMQ runs on the JVM (apt-get install -y openjdk-17-jre-headless)");
  const libDir = await resolveElasticMq();
  const persist = elasticMqSettings.parse(options.settings ?? {}).persist ?? false;
  const port = await freePort();
  const storageDir = persist ? join(options.workDir, `elasticmq-${port}-data`) : null;
  if (storageDir) await mkdir(storageDir, { recursive: true });
  const configFile = join(options.workDir, `elasticmq-${port}.conf`);
  await writeFile(configFile, elasticMqConfiguration({ port, bindHost: "127.0.0.1", storageDir }));
  const logFile = join(options.workDir, `elasticmq-${port}.log`);
  await appendFile(logFile, `[eventbench] ElasticMQ ${ELASTICMQ_VERSION} from ${libDir}, configuration ${configFile}\n`);
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await NativeServer.start(
    {
      label: `elasticmq :${port}`,
      command: "java",
      args: [MAX_HEAP, `-Dconfig.file=${configFile}`, "-cp", join(libDir, "*"), ELASTICMQ_MAIN_CLASS],
      cwd: options.workDir,
      logFile,
    },
    () => listQueuesAnswers(endpoint),
    READY_TIMEOUT_MS,
  );
  return {
    kind: "sqs",
    endpoint: { url: endpoint, display: endpoint, provider: "native", serverVersion: `ElasticMQ ${ELASTICMQ_VERSION}` },
    version: ELASTICMQ_VERSION,
    logFile,
    owned: true,
    control: server,
    persistence: storageDir
      ? { storage: `H2 database in ${storageDir} (messages-storage, H2 WRITE_DELAY=0, not fsynced)` }
      : { storage: "in memory (ElasticMQ's default): a restart loses every queue and message" },
    stop: () => server.stop(),
  };
}
