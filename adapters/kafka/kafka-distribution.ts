import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { eventbenchCacheDir } from "../../harness/environment/cache-dir.js";
import { EnvironmentError } from "../../harness/errors/errors.js";

const execFileAsync = promisify(execFile);

/** Pinned: result.json names it, and Maven Central serves kafka-tools at this version. */
export const KAFKA_VERSION = "4.3.1";
/** Kafka 4 logs through SLF4J 1.7: this binding sends its logs to log4j2, then to the run folder. */
const LOG4J_VERSION = "2.24.3";
const COMPLETE_MARKER = ".complete";
/** The folder it is resolved into, under eventbench's cache (named by version, so a new version is a new folder). */
export const KAFKA_CACHE_FOLDER = `kafka-${KAFKA_VERSION}`;

export interface KafkaDistribution {
  readonly version: string;
  /** Folder of jars; the class path is `<libDir>/*`. */
  readonly libDir: string;
  readonly source: "KAFKA_HOME" | "cache";
}

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.eventbench</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${KAFKA_VERSION}</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;

/** The version of an unpacked distribution, from its kafka-clients jar name. */
async function versionOfLibs(libDir: string): Promise<string> {
  const jar = (await readdir(libDir)).find((n) => /^kafka-clients-.+\.jar$/.test(n));
  return jar?.replace(/^kafka-clients-(.+)\.jar$/, "$1") ?? "unknown";
}

/**
 * Finds Apache Kafka's jars: `KAFKA_HOME/libs` when set, else the cache, resolving them from
 * Maven Central with `mvn` on first use (about 55 MB; later runs reuse the cache). The marker is
 * written only after a complete download, so an interrupted one is redone.
 */
export async function resolveKafka(progress: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<KafkaDistribution> {
  const home = process.env.KAFKA_HOME;
  if (home) {
    const libDir = join(home, "libs");
    if (!existsSync(libDir)) throw new EnvironmentError(`KAFKA_HOME=${home} has no libs/ folder: expected an unpacked Apache Kafka distribution`);
    return { version: await versionOfLibs(libDir), libDir, source: "KAFKA_HOME" };
  }
  const dir = join(eventbenchCacheDir(), KAFKA_CACHE_FOLDER);
  const libDir = join(dir, "lib");
  if (existsSync(join(dir, COMPLETE_MARKER))) return { version: KAFKA_VERSION, libDir, source: "cache" };

  progress(`eventbench: resolving Apache Kafka ${KAFKA_VERSION} from Maven Central into ${dir} (first use, about 55 MB) …`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "pom.xml"), POM);
  const started = Date.now();
  try {
    await execFileAsync("mvn", ["-q", "-B", "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${libDir}`], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === "ENOENT") {
      throw new EnvironmentError("mvn is not on PATH: the native Kafka provider resolves Kafka with Maven (apt-get install -y maven), or set KAFKA_HOME to an unpacked Kafka distribution");
    }
    const detail = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n");
    throw new EnvironmentError(`could not resolve Apache Kafka ${KAFKA_VERSION} from Maven Central:\n${detail}`);
  }
  await writeFile(join(dir, COMPLETE_MARKER), new Date().toISOString());
  progress(`eventbench: Apache Kafka ${KAFKA_VERSION} ready (${(await readdir(libDir)).length} jars, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return { version: KAFKA_VERSION, libDir, source: "cache" };
}
