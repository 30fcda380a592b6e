import type { ServiceKind } from "../../../adapters/contract/adapter.js";
import type { EnvironmentProvider, ServiceHandle, ServiceStartOptions } from "../provider.js";
import { findDynamoDbLocal, startNativeDynamoDb } from "./dynamodb-local.js";
import { javaVersion, startNativeKafka } from "./kafka-broker.js";
import { KAFKA_CACHE_FOLDER, resolveKafka } from "./kafka-distribution.js";
import { redisServerVersion, startNativeRedis } from "./redis-server.js";

interface NativeService {
  /** Why it cannot start here, or null. Must be quick: it runs before anything starts. */
  unavailableReason(): Promise<string | null>;
  start(options: ServiceStartOptions): Promise<ServiceHandle>;
  /** Downloads or checks what `start` needs, so a later start works offline; says what it found. */
  prepare(): Promise<string>;
  /** The folder `prepare` downloads into under eventbench's cache, when it downloads. */
  readonly cacheFolder?: string;
}

/** One entry per service; a new native server is one module plus one line here. */
const services: Record<ServiceKind, NativeService | undefined> = {
  redis: {
    unavailableReason: async () =>
      (await redisServerVersion()) === null ? "redis-server is not on PATH (apt-get install -y redis-server)" : null,
    start: (options) => startNativeRedis(options),
    prepare: async () => {
      const version = await redisServerVersion();
      return version ? `redis-server ${version} on PATH` : "redis-server is not on PATH (apt-get install -y redis-server)";
    },
  },
  kafka: {
    unavailableReason: async () => ((await javaVersion()) === null ? "java is not on PATH (Kafka needs Java 17+)" : null),
    start: (options) => startNativeKafka(options),
    cacheFolder: KAFKA_CACHE_FOLDER,
    prepare: async () => {
      const dist = await resolveKafka();
      return `Apache Kafka ${dist.version} (${dist.source}: ${dist.libDir}), java ${(await javaVersion()) ?? "missing"}`;
    },
  },
  dynamodb: {
    unavailableReason: async () => ((await javaVersion()) === null ? "java is not on PATH (DynamoDB Local needs Java 17+)" : null),
    start: (options) => startNativeDynamoDb(options),
    prepare: async () => {
      const dist = await findDynamoDbLocal();
      return `DynamoDB Local ${dist.version} (${dist.source}: ${dist.dir}), java ${(await javaVersion()) ?? "missing"}`;
    },
  },
};

/** Local processes: used where Docker is not available, as on this project's CI machines. */
export class NativeProvider implements EnvironmentProvider {
  readonly name = "native" as const;

  async unavailableReason(kind: ServiceKind): Promise<string | null> {
    const service = services[kind];
    if (!service) return `the native provider cannot start ${kind} yet`;
    return service.unavailableReason();
  }

  async start(kind: ServiceKind, options: ServiceStartOptions): Promise<ServiceHandle> {
    const service = services[kind];
    if (!service) throw new Error(`the native provider cannot start ${kind} yet`);
    return service.start(options);
  }
}

/** `eventbench env prepare`: resolves a native service ahead of time (CI does this before tests). */
export async function prepareNativeService(kind: ServiceKind): Promise<string> {
  const service = services[kind];
  return service ? service.prepare() : `the native provider cannot start ${kind} yet`;
}

/** The cache folders `prepare` fills for these services, by version: what a CI cache is keyed on. */
export function nativeCacheFolders(kinds: readonly ServiceKind[]): string[] {
  return kinds.flatMap((kind) => services[kind]?.cacheFolder ?? []);
}
