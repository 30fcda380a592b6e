import { resolveMavenRuntime, type MavenRuntime } from "../../harness/environment/native/maven-runtime.js";

/** Pinned: the newest elasticmq-server_2.13 Maven Central serves (maven-metadata: release 1.7.1, looked up 2026-12-03). */
export const ELASTICMQ_VERSION = "1.7.1";
/** The folder its jars are resolved into, under eventbench's cache (named by version). */
export const ELASTICMQ_CACHE_FOLDER = `elasticmq-${ELASTICMQ_VERSION}`;
/** The server's entry point; Maven Central has its jar and dependencies, not the release's one-jar bundle. */
export const ELASTICMQ_MAIN_CLASS = "org.elasticmq.server.Main";

const ELASTICMQ_RUNTIME: MavenRuntime = {
  product: `ElasticMQ ${ELASTICMQ_VERSION}`,
  cacheFolder: ELASTICMQ_CACHE_FOLDER,
  artifacts: [{ groupId: "org.elasticmq", artifactId: "elasticmq-server_2.13", version: ELASTICMQ_VERSION }],
  size: "about 37 MB",
};

/** The folder of ElasticMQ's jars (class path `<libDir>/*`), resolved from Maven Central on first use. */
export function resolveElasticMq(progress?: (message: string) => void): Promise<string> {
  return resolveMavenRuntime(ELASTICMQ_RUNTIME, progress);
}
