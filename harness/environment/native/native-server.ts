import type { ServerControl } from "../../../adapters/contract/service.js";
import { NativeProcess, type NativeProcessSpec } from "./native-process.js";
import { stopLeftovers } from "./leftover-servers.js";

let leftoversStopped: Promise<void> | undefined;

/**
 * A native server that fault injection can pause, kill and start again: the same command, the
 * same port and data directory, the same readiness probe as the first start.
 */
export class NativeServer implements ServerControl {
  private current: NativeProcess;

  private constructor(
    private readonly spec: NativeProcessSpec,
    private readonly ready: () => Promise<boolean>,
    private readonly readyTimeoutMs: number,
  ) {
    this.current = new NativeProcess(spec);
  }

  /**
   * Starts the server and resolves once `ready` answers true. Servers an earlier harness left
   * running (it and its watchdog killed) are stopped first, once per process, and said so.
   */
  static async start(spec: NativeProcessSpec, ready: () => Promise<boolean>, readyTimeoutMs: number): Promise<NativeServer> {
    leftoversStopped ??= stopLeftovers().then((stopped) => {
      for (const r of stopped) process.stderr.write(`stopped ${r.label} (pid ${r.pid}), left running by eventbench pid ${r.harnessPid} since ${r.startedAt}\n`);
    });
    await leftoversStopped.catch(() => {});
    const server = new NativeServer(spec, ready, readyTimeoutMs);
    await server.current.waitUntilReady(ready, readyTimeoutMs);
    return server;
  }

  get process(): NativeProcess {
    return this.current;
  }

  async pause(): Promise<void> {
    this.current.signal("SIGSTOP");
  }

  async resume(): Promise<void> {
    this.current.signal("SIGCONT");
  }

  async kill(): Promise<void> {
    await this.current.kill();
  }

  async restart(): Promise<void> {
    if (!this.current.hasExited) await this.current.kill();
    this.current = new NativeProcess(this.spec);
    await this.current.waitUntilReady(this.ready, this.readyTimeoutMs);
  }

  stop(): Promise<void> {
    return this.current.stop();
  }
}
