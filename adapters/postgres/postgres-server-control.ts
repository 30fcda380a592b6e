import { readdir, readFile } from "node:fs/promises";
import type { NativeServer } from "../../harness/environment/native/native-server.js";
import type { ServerControl } from "../contract/service.js";

/** The processes the postmaster forked (backends, WAL writer, checkpointer …), from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Field 4 (ppid) follows the command name in parentheses, which may hold spaces.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

function signal(pids: readonly number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // gone already
    }
  }
}

/**
 * Pause, kill and restart of a PostgreSQL: unlike a single-process server, the postmaster's
 * children run in sessions of their own (it calls setsid for each), so stopping the postmaster
 * alone would leave every open connection answering, and killing it alone would leave orphan
 * backends holding the shared memory a restart needs. Every signal goes to the postmaster and
 * each child.
 */
export class PostgresServerControl implements ServerControl {
  private paused: number[] = [];

  constructor(private readonly server: NativeServer) {}

  private get pid(): number {
    const pid = this.server.process.pid;
    if (pid === undefined) throw new Error("postgres has no process id (it did not start)");
    return pid;
  }

  async pause(): Promise<void> {
    // The postmaster first, so it forks no new child while the children are stopped.
    signal([this.pid], "SIGSTOP");
    this.paused = await childrenOf(this.pid);
    signal(this.paused, "SIGSTOP");
  }

  async resume(): Promise<void> {
    signal(this.paused, "SIGCONT");
    this.paused = [];
    signal([this.pid], "SIGCONT");
  }

  async kill(): Promise<void> {
    const children = await childrenOf(this.pid);
    signal([this.pid], "SIGKILL");
    signal(children, "SIGKILL");
    await this.server.kill();
    await this.waitGone(children);
  }

  async restart(): Promise<void> {
    if (!this.server.process.hasExited) await this.kill();
    await this.server.restart();
  }

  async stop(): Promise<void> {
    signal(this.paused, "SIGCONT");
    this.paused = [];
    await this.server.stop();
  }

  private async waitGone(pids: readonly number[]): Promise<void> {
    const alive = () => pids.filter((p) => {
      try {
        process.kill(p, 0);
        return true;
      } catch {
        return false;
      }
    });
    for (let i = 0; i < 100 && alive().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  }
}
