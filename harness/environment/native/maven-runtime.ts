import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { EnvironmentError } from "../../errors/errors.js";
import { eventbenchCacheDir } from "../cache-dir.js";

const execFileAsync = promisify(execFile);
const COMPLETE_MARKER = ".complete";

export interface MavenArtifact {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
}

/** What the messages and the cache say about something resolved from Maven Central. */
interface MavenDownload {
  /** What the messages call it, e.g. `Apache Kafka 4.3.1`. */
  readonly product: string;
  /** Folder under eventbench's cache, named by version (a new version is a new folder). */
  readonly cacheFolder: string;
  /** Roughly what the first resolve downloads, e.g. `about 55 MB`. */
  readonly size: string;
  /** What else serves when mvn is missing, e.g. `set KAFKA_HOME to an unpacked Kafka distribution`. */
  readonly otherwise?: string;
}

/** A server run from Maven Central's jars (and their runtime dependencies) with the machine's Java. */
export interface MavenRuntime extends MavenDownload {
  readonly artifacts: readonly MavenArtifact[];
}

/** A server's own distribution archive on Maven Central (a `tar.gz` with a classifier, as `bin`), unpacked as it ships. */
export interface MavenDistribution extends MavenDownload {
  readonly artifact: MavenArtifact & { readonly type: "tar.gz"; readonly classifier: string };
  /** The folder the archive unpacks into, e.g. `apache-artemis-2.40.0`. */
  readonly unpacksTo: string;
}

function pomOf(runtime: MavenRuntime): string {
  const dependencies = runtime.artifacts
    .map((a) => `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></dependency>`)
    .join("\n");
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.eventbench</groupId>
  <artifactId>${runtime.cacheFolder}-runtime</artifactId>
  <version>1</version>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}

/**
 * Fills `<cache>/<cacheFolder>` once with `fill` (mvn run in the folder, then anything after it);
 * later calls reuse it. The marker is written only after a complete fill, so an interrupted one is
 * redone. Answers the folder.
 */
async function intoCache(download: MavenDownload, fill: (dir: string, mvn: (args: readonly string[]) => Promise<void>) => Promise<string>, progress: (message: string) => void): Promise<string> {
  const dir = join(eventbenchCacheDir(), download.cacheFolder);
  if (existsSync(join(dir, COMPLETE_MARKER))) return dir;

  progress(`eventbench: resolving ${download.product} from Maven Central into ${dir} (first use, ${download.size}) …`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const started = Date.now();
  const mvn = async (args: readonly string[]) => {
    try {
      await execFileAsync("mvn", ["-q", "-B", ...args], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
      if (e.code === "ENOENT") {
        const otherwise = download.otherwise ? `, or ${download.otherwise}` : "";
        throw new EnvironmentError(`mvn is not on PATH: the native provider resolves ${download.product} with Maven (apt-get install -y maven)${otherwise}`);
      }
      const detail = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n");
      throw new EnvironmentError(`could not resolve ${download.product} from Maven Central:\n${detail}`);
    }
  };
  const summary = await fill(dir, mvn);
  await writeFile(join(dir, COMPLETE_MARKER), new Date().toISOString());
  progress(`eventbench: ${download.product} ready (${summary}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return dir;
}

const stderrLine = (m: string) => process.stderr.write(`${m}\n`);

/**
 * The folder of the runtime's jars (the class path is `<libDir>/*`), resolved from Maven Central
 * with `mvn` into eventbench's cache on first use; later calls reuse the cache.
 */
export async function resolveMavenRuntime(runtime: MavenRuntime, progress: (message: string) => void = stderrLine): Promise<string> {
  const dir = await intoCache(
    runtime,
    async (folder, mvn) => {
      await writeFile(join(folder, "pom.xml"), pomOf(runtime));
      await mvn(["dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${join(folder, "lib")}`]);
      return `${(await readdir(join(folder, "lib"))).length} jars`;
    },
    progress,
  );
  return join(dir, "lib");
}

/**
 * The unpacked distribution (its home folder), fetched from Maven Central with `mvn
 * dependency:copy` into eventbench's cache on first use and unpacked there with tar; later calls
 * reuse the cache.
 */
export async function resolveMavenDistribution(distribution: MavenDistribution, progress: (message: string) => void = stderrLine): Promise<string> {
  const { groupId, artifactId, version, type, classifier } = distribution.artifact;
  const dir = await intoCache(
    distribution,
    async (folder, mvn) => {
      await mvn(["dependency:copy", `-Dartifact=${groupId}:${artifactId}:${version}:${type}:${classifier}`, `-DoutputDirectory=${folder}`]);
      const archive = join(folder, `${artifactId}-${version}-${classifier}.${type}`);
      try {
        await execFileAsync("tar", ["-xzf", archive, "-C", folder]);
      } catch (error) {
        throw new EnvironmentError(`could not unpack ${archive}: ${(error as Error).message}`);
      }
      await rm(archive);
      if (!existsSync(join(folder, distribution.unpacksTo))) throw new EnvironmentError(`${archive} did not unpack into ${distribution.unpacksTo}/`);
      return `unpacked into ${distribution.unpacksTo}/`;
    },
    progress,
  );
  return join(dir, distribution.unpacksTo);
}
