import { connect, type NatsConnection } from "@nats-io/transport-node";

const CONNECT_TIMEOUT_MS = 3_000;

/**
 * What `connect` takes from an endpoint URL: `nats://user:pass@host:4222` (or `nats://token@host`),
 * several servers separated by commas. The credentials go into the options, never into `servers`,
 * so the client's own errors (which name the server) cannot print them.
 */
export function connectionOptions(url: string): { servers: string[]; user?: string; pass?: string; token?: string } {
  const servers: string[] = [];
  let user: string | undefined;
  let pass: string | undefined;
  for (const part of url.split(",").map((s) => s.trim()).filter(Boolean)) {
    const parsed = new URL(part.includes("://") ? part : `nats://${part}`);
    if (parsed.username && user === undefined) {
      user = decodeURIComponent(parsed.username);
      pass = parsed.password ? decodeURIComponent(parsed.password) : undefined;
    }
    servers.push(`${parsed.hostname.includes(":") ? `[${parsed.hostname}]` : parsed.hostname}:${parsed.port || "4222"}`);
  }
  if (servers.length === 0) throw new Error("no NATS server in the endpoint (expected nats://host:port, comma-separated for several)");
  if (user !== undefined && pass === undefined) return { servers, token: user };
  return { servers, ...(user !== undefined ? { user } : {}), ...(pass !== undefined ? { pass } : {}) };
}

/**
 * One NATS connection. It reconnects without end (a paused or restarted server must show up as
 * latency and errors, not as a closed client) and fails the first connect within seconds.
 */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  const options = connectionOptions(url);
  try {
    return await connect({
      ...options,
      name,
      timeout: CONNECT_TIMEOUT_MS,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      // An unacknowledged ping every 2 s for 2 s: a frozen server is noticed in seconds, not minutes.
      pingInterval: 2_000,
      maxPingOut: 2,
    });
  } catch (error) {
    const e = error as Error;
    const cause = e.cause instanceof Error ? ` (${e.cause.message})` : "";
    // The server list, not the URL: it holds no credentials whatever the URL's form.
    throw new Error(`cannot connect to NATS at ${options.servers.join(",")}: ${e.message}${cause}`, { cause: error });
  }
}
