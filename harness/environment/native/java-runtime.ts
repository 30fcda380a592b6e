import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** The version of `java` on PATH (servers on the JVM run with it), or null when there is none. */
export async function javaVersion(): Promise<string | null> {
  try {
    const { stderr } = await execFileAsync("java", ["-version"]);
    return /version "([^"]+)"/.exec(stderr)?.[1] ?? "unknown";
  } catch {
    return null;
  }
}
