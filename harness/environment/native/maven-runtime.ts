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

/** A server run from Maven Central's jars (and their runtime dependencies) with the machine's Java. */
export interface MavenRuntime {
  /** What the messages call it, e.g. `Apache Kafka 4.3.1`. */
  readonly product: string;
  /** Folder under eventbench's cache, named by version (a new version is a new folder). */
  readonly cacheFolder: string;
  readonly artifacts: readonly MavenArtifact[];
  /** Roughly what the first resolve downloads, e.g. `about 55 MB`. */
  readonly size: string;
  /** What else serves when mvn is missing, e.g. `set KAFKA_HOME to an unpacked Kafka distribution`. */
  readonly otherwise?: string;
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
 * The folder of the runtime's jars (the class path is `<libDir>/*`), resolved from Maven Central
 * with `mvn` into eventbench's cache on first use; later calls reuse the cache. The marker is
 * written only after a complete download, so an interrupted one is redone.
 */
export async function resolveMavenRuntime(runtime: MavenRuntime, progress: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<string> {
  const dir = join(eventbenchCacheDir(), runtime.cacheFolder);
  const libDir = join(dir, "lib");
  if (existsSync(join(dir, COMPLETE_MARKER))) return libDir;

  progress(`eventbench: resolving ${runtime.product} from Maven Central into ${dir} (first use, ${runtime.size}) …`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "pom.xml"), pomOf(runtime));
  const started = Date.now();
  try {
    await execFileAsync("mvn", ["-q", "-B", "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${libDir}`], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === "ENOENT") {
      const otherwise = runtime.otherwise ? `, or ${runtime.otherwise}` : "";
      throw new EnvironmentError(`mvn is not on PATH: the native provider resolves ${runtime.product} with Maven (apt-get install -y maven)${otherwise}`);
    }
    const detail = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n");
    throw new EnvironmentError(`could not resolve ${runtime.product} from Maven Central:\n${detail}`);
  }
  await writeFile(join(dir, COMPLETE_MARKER), new Date().toISOString());
  progress(`eventbench: ${runtime.product} ready (${(await readdir(libDir)).length} jars, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return libDir;
}
