import { homedir } from "node:os";
import { join } from "node:path";

/** Where eventbench keeps what it resolves or builds once per machine (server jars, binaries, the harness ceiling). */
export function eventbenchCacheDir(): string {
  return process.env.EVENTBENCH_CACHE_DIR ?? join(homedir(), ".cache", "eventbench");
}
