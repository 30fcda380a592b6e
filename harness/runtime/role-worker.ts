/** Worker-thread entry point: a RoleHost answering the coordinator's requests (a flush may overlap a slow stop). */
import { parentPort, workerData } from "node:worker_threads";
import type { HostInterval, HostRequest, HostResponse, HostSpec } from "./host-protocol.js";
import { RoleHost } from "./role-host.js";

const port = parentPort;
if (!port) throw new Error("role-worker must run in a worker thread");

const host = new RoleHost(workerData as HostSpec);

port.on("message", (request: HostRequest) => {
  host.handle(request.command).then(
    (value) => {
      const response: HostResponse = { id: request.id, ok: true, value };
      const transfer = request.command.type === "flush" ? transferablesOf(value as HostInterval) : [];
      port.postMessage(response, transfer);
    },
    (error: unknown) => {
      const response: HostResponse = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
      port.postMessage(response);
    },
  );
});

function transferablesOf(interval: HostInterval): ArrayBuffer[] {
  const deliveries = Object.values(interval.deliveries).flatMap((d) => [d.triples.buffer as ArrayBuffer, d.receivedNs.buffer as ArrayBuffer]);
  return [...deliveries, interval.failed.buffer as ArrayBuffer];
}
