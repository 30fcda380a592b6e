import { createServer, type Server } from "node:http";
import { scrubSecrets } from "../environment/known-secrets.js";
import type { LiveMetrics } from "./live-metrics.js";

/** Serves `/metrics` on 127.0.0.1 for Prometheus to scrape while a run goes. */
export function startMetricsServer(port: number, metrics: LiveMetrics): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end("eventbench serves /metrics\n");
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { "Content-Type": metrics.registry.contentType }).end(scrubSecrets(text)),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
