import { readdir, readFile } from "node:fs/promises";

/**
 * Pids of the redis-server listening on 127.0.0.1:`port` (Linux /proc): redis-server rewrites its
 * command line to `redis-server 127.0.0.1:<port>`, and a port is listened on by one server only.
 */
export async function redisServerPids(port: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.replaceAll("\0", " ").trim() === `redis-server 127.0.0.1:${port}`) pids.push(Number(entry));
  }
  return pids;
}

/** Pids of processes whose command line holds every one of `args`. */
export async function pidsWithArgs(...args: string[]): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")).split("\0");
    if (args.every((a) => argv.includes(a))) pids.push(Number(entry));
  }
  return pids;
}
