import { Worker } from "node:worker_threads";
import { onShutdown } from "../environment/shutdown-registry.js";
import type { HostCommand, HostRequest, HostResponse, HostSpec } from "./host-protocol.js";

const WORKER_URL = new URL("./role-worker.js", import.meta.url);

/** The coordinator's handle on one role host: request/response over the worker's message port. */
export class HostClient {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; what: string }>();
  private failure: Error | undefined;
  private readonly unregister: () => void;

  constructor(readonly spec: HostSpec) {
    this.worker = new Worker(WORKER_URL, { workerData: spec, name: `eventbench ${spec.name}` });
    this.worker.on("message", (response: HostResponse) => {
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.value);
      else waiter.reject(new Error(`${spec.name} host, ${waiter.what}: ${response.error}`));
    });
    this.worker.on("error", (error) => this.fail(new Error(`${spec.name} host crashed: ${error.message}`, { cause: error })));
    this.worker.on("exit", (code) => this.fail(new Error(`${spec.name} host exited (code ${code})`)));
    this.unregister = onShutdown(`stop ${spec.name} host`, () => this.terminate());
  }

  request<T = unknown>(command: HostCommand, timeoutMs = 60_000): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.spec.name} host did not answer "${command.type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        what: command.type,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      const request: HostRequest = { id, command };
      this.worker.postMessage(request);
    });
  }

  async terminate(): Promise<void> {
    this.unregister();
    this.failure ??= new Error(`${this.spec.name} host terminated`);
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
