import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { EnvironmentError } from "../../errors/errors.js";
import { onShutdown } from "../shutdown-registry.js";
import { forgetServer, recordServer } from "./leftover-servers.js";
import { watchServer } from "./server-watchdog.js";

export interface NativeProcessSpec {
  /** Short name for messages, e.g. `redis-server`. */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** stdout and stderr of the server are appended here. */
  readonly logFile: string;
  /**
   * The signal `stop` sends first; SIGTERM when absent. For a server whose SIGTERM waits for its
   * clients to leave, the signal of its fast shutdown.
   */
  readonly stopSignal?: NodeJS.Signals;
}

/**
 * A server run as a child process: its output goes to a log file, it is registered for shutdown
 * on Ctrl-C or crash, and `stop` ends it with SIGTERM, then SIGKILL after a grace period. A
 * watchdog stops it when the harness dies without running its shutdown (SIGKILL, out of memory),
 * and a pid file names it until it ends (see leftover-servers.ts).
 */
export class NativeProcess {
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private readonly unregister: () => void;
  private exited = false;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private readonly exitPromise: Promise<void>;

  constructor(readonly spec: NativeProcessSpec) {
    this.log = createWriteStream(spec.logFile, { flags: "a" });
    this.child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Own process group: a Ctrl-C in the terminal reaches the harness, which then stops the
      // server in order, instead of the server dying first and the run reporting errors.
      detached: true,
    });
    const pid = this.child.pid;
    const recorded =
      pid === undefined
        ? Promise.resolve()
        : recordServer({ pid, label: spec.label, harnessPid: process.pid, startedAt: new Date().toISOString(), logFile: spec.logFile }).catch(() => {});
    if (pid !== undefined) watchServer(pid);
    this.child.stdout?.pipe(this.log, { end: false });
    this.child.stderr?.pipe(this.log, { end: false });
    this.exitPromise = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.exited = true;
        this.exitCode = code;
        this.exitSignal = signal;
        if (pid === undefined) resolve();
        else void recorded.then(() => forgetServer(pid)).catch(() => {}).finally(resolve);
      });
      this.child.once("error", (error) => {
        this.log.write(`\n[eventbench] could not start ${spec.label}: ${error.message}\n`);
        this.exited = true;
        resolve();
      });
    });
    this.unregister = onShutdown(`stop ${spec.label}`, () => this.stop());
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  describeExit(): string {
    return this.exitSignal ? `killed by ${this.exitSignal}` : `exit code ${this.exitCode ?? "unknown"}`;
  }

  /** Resolves when `probe` succeeds; rejects when the process exits or `timeoutMs` passes. */
  async waitUntilReady(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new EnvironmentError(
          `${this.spec.label} exited during start-up (${this.describeExit()}); its log is ${this.spec.logFile}`,
        );
      }
      try {
        if (await probe()) return;
      } catch (error) {
        lastError = error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    const reason = lastError instanceof Error ? ` (last probe error: ${lastError.message})` : "";
    throw new EnvironmentError(
      `${this.spec.label} did not become ready within ${timeoutMs} ms${reason}; its log is ${this.spec.logFile}`,
    );
  }

  /** Sends a signal to the server (SIGSTOP/SIGCONT for fault injection). */
  signal(signal: NodeJS.Signals): void {
    if (!this.exited && this.child.pid !== undefined) process.kill(this.child.pid, signal);
  }

  /** Ends the server at once, as a crash would (fault injection), and waits until it is gone. */
  async kill(): Promise<void> {
    this.unregister();
    if (!this.exited && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      await this.exitPromise;
    }
    await this.closeLog();
  }

  private async closeLog(): Promise<void> {
    if (!this.log.closed) {
      this.log.end();
      await once(this.log, "close").catch(() => {});
    }
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.unregister();
    if (!this.exited && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, "SIGCONT"); // a paused server cannot handle SIGTERM
        process.kill(this.child.pid, this.spec.stopSignal ?? "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        if (!this.exited && this.child.pid !== undefined) {
          try {
            process.kill(this.child.pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }, graceMs);
      await this.exitPromise;
      clearTimeout(timer);
    }
    await this.closeLog();
  }
}
