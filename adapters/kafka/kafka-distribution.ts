import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { resolveMavenRuntime, type MavenRuntime } from "../../harness/environment/native/maven-runtime.js";
import { EnvironmentError } from "../../harness/errors/errors.js";

/** Pinned: result.json names it, and Maven Central serves kafka-tools at this version. */
export const KAFKA_VERSION = "4.3.1";
/** Kafka 4 logs through SLF4J 1.7: this binding sends its logs to log4j2, then to the run folder. */
const LOG4J_VERSION = "2.24.3";
/** The folder it is resolved into, under eventbench's cache (named by version, so a new version is a new folder). */
export const KAFKA_CACHE_FOLDER = `kafka-${KAFKA_VERSION}`;

export interface KafkaDistribution {
  readonly version: string;
  /** Folder of jars; the class path is `<libDir>/*`. */
  readonly libDir: string;
  readonly source: "KAFKA_HOME" | "cache";
}

/** The version of an unpacked distribution, from its kafka-clients jar name. */
async function versionOfLibs(libDir: string): Promise<string> {
  const jar = (await readdir(libDir)).find((n) => /^kafka-clients-.+\.jar$/.test(n));
  return jar?.replace(/^kafka-clients-(.+)\.jar$/, "$1") ?? "unknown";
}

const KAFKA_RUNTIME: MavenRuntime = {
  product: `Apache Kafka ${KAFKA_VERSION}`,
  cacheFolder: KAFKA_CACHE_FOLDER,
  artifacts: [
    { groupId: "org.apache.kafka", artifactId: "kafka_2.13", version: KAFKA_VERSION },
    { groupId: "org.apache.kafka", artifactId: "kafka-tools", version: KAFKA_VERSION },
    { groupId: "org.apache.logging.log4j", artifactId: "log4j-slf4j-impl", version: LOG4J_VERSION },
    { groupId: "org.apache.logging.log4j", artifactId: "log4j-core", version: LOG4J_VERSION },
  ],
  size: "about 55 MB",
  otherwise: "set KAFKA_HOME to an unpacked Kafka distribution",
};

/**
 * Finds Apache Kafka's jars: `KAFKA_HOME/libs` when set, else the cache, resolved from Maven
 * Central on first use.
 */
export async function resolveKafka(progress?: (message: string) => void): Promise<KafkaDistribution> {
  const home = process.env.KAFKA_HOME;
  if (home) {
    const libDir = join(home, "libs");
    if (!existsSync(libDir)) throw new EnvironmentError(`KAFKA_HOME=${home} has no libs/ folder: expected an unpacked Apache Kafka distribution`);
    return { version: await versionOfLibs(libDir), libDir, source: "KAFKA_HOME" };
  }
  return { version: KAFKA_VERSION, libDir: await resolveMavenRuntime(KAFKA_RUNTIME, progress), source: "cache" };
}
