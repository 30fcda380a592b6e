import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { eventbenchCacheDir } from "../cache-dir.js";

/**
 * One pid file per server eventbench starts natively, removed when the server ends. A file whose
 * harness is gone while its server still runs is a leftover: the watchdog could not stop it (it
 * was killed too). The next native start stops leftovers, and `eventbench env status` lists them.
 */
export interface ServerRecord {
  readonly pid: number;
  readonly label: string;
  readonly harnessPid: number;
  readonly startedAt: string;
  readonly logFile: string;
}

const folder = () => join(eventbenchCacheDir(), "servers");
const fileOf = (pid: number) => join(folder(), `${pid}.json`);

export async function recordServer(record: ServerRecord): Promise<void> {
  await mkdir(folder(), { recursive: true });
  await writeFile(fileOf(record.pid), `${JSON.stringify(record)}\n`);
}

export async function forgetServer(pid: number): Promise<void> {
  await rm(fileOf(pid), { force: true });
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Servers whose harness is gone but which still run; files of servers that ended are removed. */
export async function leftoverServers(): Promise<ServerRecord[]> {
  const names = await readdir(folder()).catch(() => [] as string[]);
  const leftovers: ServerRecord[] = [];
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    const record = JSON.parse(await readFile(join(folder(), name), "utf8").catch(() => "null")) as ServerRecord | null;
    if (!record || !running(record.pid)) {
      await rm(join(folder(), name), { force: true });
      continue;
    }
    if (!running(record.harnessPid)) leftovers.push(record);
  }
  return leftovers;
}

/** The command that stops a leftover (the server's whole process group). */
export const stopCommand = (r: ServerRecord) => `kill -TERM -${r.pid}`;

/** Stops every leftover: SIGCONT (a paused one), SIGTERM, then SIGKILL after `graceMs`. */
export async function stopLeftovers(graceMs = 10_000): Promise<ServerRecord[]> {
  const leftovers = await leftoverServers();
  const signal = (pid: number, s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // gone already
    }
  };
  for (const r of leftovers) {
    signal(r.pid, "SIGCONT");
    signal(r.pid, "SIGTERM");
  }
  const deadline = Date.now() + graceMs;
  while (leftovers.some((r) => running(r.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const r of leftovers) {
    if (running(r.pid)) signal(r.pid, "SIGKILL");
    await forgetServer(r.pid);
  }
  return leftovers;
}
