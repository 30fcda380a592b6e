import { resolveMavenDistribution, type MavenDistribution } from "../../harness/environment/native/maven-runtime.js";

/**
 * Pinned: the newest `apache-artemis` whose `bin` archive Maven Central serves here (2.56.0 is
 * listed without it). Artemis 2.40 needs Java 17 or later.
 */
export const ARTEMIS_VERSION = "2.40.0";
/** The folder it is unpacked into, under eventbench's cache (named by version). */
export const ARTEMIS_CACHE_FOLDER = `artemis-${ARTEMIS_VERSION}`;

const ARTEMIS_DISTRIBUTION: MavenDistribution = {
  product: `Apache ActiveMQ Artemis ${ARTEMIS_VERSION}`,
  cacheFolder: ARTEMIS_CACHE_FOLDER,
  artifact: { groupId: "org.apache.activemq", artifactId: "apache-artemis", version: ARTEMIS_VERSION, type: "tar.gz", classifier: "bin" },
  unpacksTo: `apache-artemis-${ARTEMIS_VERSION}`,
  size: "about 47 MB",
};

/** The Artemis home (its `bin/artemis` creates broker instances), fetched from Maven Central on first use. */
export function resolveArtemis(progress?: (message: string) => void): Promise<string> {
  return resolveMavenDistribution(ARTEMIS_DISTRIBUTION, progress);
}
