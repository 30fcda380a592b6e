import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../harness/environment/free-port.js";
import { javaVersion } from "../../harness/environment/native/java-runtime.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import { EnvironmentError } from "../../harness/errors/errors.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { artemisAnswers } from "./artemis-connection.js";
import { ARTEMIS_VERSION, resolveArtemis } from "./artemis-distribution.js";

const execFileAsync = promisify(execFile);

/** A JVM's first start on a busy two-core machine takes 5 to 30 s. */
const READY_TIMEOUT_MS = 120_000;
const CREATE_TIMEOUT_MS = 120_000;
/** The broker's heap (`artemis create` defaults to 2 GB); the address-full policy pages to disk beyond half of it. */
const JAVA_MEMORY = "512M";
const USER = "eventbench";
const JAVA_INSTALL_HINT = "apt-get install -y openjdk-17-jre-headless";

/** Artemis 2.40 runs on Java 17 or later. */
export async function artemisUnavailableReason(): Promise<string | null> {
  const version = await javaVersion();
  if (version === null) return `java is not on PATH (ActiveMQ Artemis runs on the JVM: ${JAVA_INSTALL_HINT})`;
  const major = Number(/^(?:1\.)?(\d+)/.exec(version)?.[1]);
  if (Number.isFinite(major) && major < 17) return `java ${version} is too old: ActiveMQ Artemis ${ARTEMIS_VERSION} needs Java 17 or later (${JAVA_INSTALL_HINT})`;
  return null;
}

/**
 * What `artemis create` wrote that eventbench changes: the users file gets the generated password
 * (create only takes one on its command line, where `ps` would show it, so it was given a
 * placeholder), and the journal's retention copy (7 days, up to 10 GB) is dropped.
 */
async function configureInstance(instance: string, password: string): Promise<void> {
  await writeFile(join(instance, "etc", "artemis-users.properties"), `${USER} = ${password}\n`, { mode: 0o600 });
  const brokerXml = join(instance, "etc", "broker.xml");
  const xml = await readFile(brokerXml, "utf8");
  await writeFile(brokerXml, xml.replace(/^\s*<journal-retention-directory[^>]*>[^<]*<\/journal-retention-directory>\s*$/m, ""));
}

/**
 * Durability in force: the NIO journal in the instance folder, synced (`journal-datasync`) before
 * a durable message is settled; non-durable messages are not journalled.
 */
function persistenceOf(instance: string): Record<string, string> {
  return { journal: `NIO in ${join(instance, "data", "journal")}`, journal_datasync: "true (synced before a durable message is settled)" };
}

/**
 * An Artemis broker instance of eventbench's own, from Maven Central's `bin` distribution:
 * `artemis create` makes it in the run folder (configuration, journal, logs), with one acceptor
 * on a free 127.0.0.1 port (AMQP among its protocols), no web console, login required with a
 * generated password. Ready once a real AMQP connection opens. The process eventbench holds is
 * the JVM itself (the instance's script execs it), so pause (SIGSTOP), kill and restart reach the
 * broker; a restart runs the same instance on the same journal.
 */
export async function startNativeArtemis(options: ServiceStartOptions): Promise<ServiceHandle> {
  const unavailable = await artemisUnavailableReason();
  if (unavailable) throw new EnvironmentError(`ActiveMQ Artemis cannot start natively: ${unavailable}; or point ARTEMIS_URL at a running broker and use --env external`);
  const home = await resolveArtemis();
  const port = await freePort();
  const instance = join(options.workDir, `artemis-${port}`);
  const logFile = join(options.workDir, `artemis-${port}.log`);
  // Inherited ARTEMIS_* variables would point the scripts at another home or instance.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ARTEMIS_")));
  const create = [
    "create", instance, "--silent", "--user", USER, "--password", "placeholder-replaced-below", "--require-login",
    "--host", "127.0.0.1", "--default-port", String(port),
    "--no-amqp-acceptor", "--no-hornetq-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-web",
    "--no-autotune", "--java-memory", JAVA_MEMORY,
  ];
  try {
    const { stdout, stderr } = await execFileAsync(join(home, "bin", "artemis"), create, { env, timeout: CREATE_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 });
    await appendFile(logFile, `[eventbench] artemis create (ActiveMQ Artemis ${ARTEMIS_VERSION} from ${home}):\n${stdout}${stderr}`);
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    const detail = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n");
    throw new EnvironmentError(`artemis create failed for ${instance}: ${detail || e.message}`);
  }
  const password = randomBytes(18).toString("base64url");
  await configureInstance(instance, password);
  const url = `amqp://${USER}:${password}@127.0.0.1:${port}`;
  const server = await NativeServer.start(
    { label: `artemis :${port}`, command: join(instance, "bin", "artemis"), args: ["run"], cwd: instance, env, logFile },
    () => artemisAnswers(url),
    READY_TIMEOUT_MS,
  );
  return {
    kind: "artemis",
    endpoint: { url, display: `amqp://***@127.0.0.1:${port}`, provider: "native", serverVersion: ARTEMIS_VERSION },
    version: ARTEMIS_VERSION,
    logFile,
    owned: true,
    control: server,
    persistence: persistenceOf(instance),
    stop: () => server.stop(),
  };
}
