import type { Socket } from "node:net";
// rhea exports a container instance from CommonJS: Node finds no named exports in it, so its values come through the default.
import rhea, { type Connection, type ConnectionOptions } from "rhea";

/** A connect that does not answer within this is a broker that is not there (or paused). */
const CONNECT_TIMEOUT_MS = 3_000;
/**
 * AMQP idle time-out: the broker and rhea send empty frames at half of it, so a frozen broker
 * (or a killed client socket) is noticed within about this.
 */
const IDLE_TIME_OUT_MS = 20_000;
const CLOSE_TIMEOUT_MS = 2_000;

/** `amqp://user:password@host:port` (or `amqps://`) as rhea's connect options; credentials stay in memory only. */
export function connectOptionsOf(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("the Artemis endpoint is not a URL: expected amqp://user:password@host:port or amqps://…");
  }
  if (parsed.protocol !== "amqp:" && parsed.protocol !== "amqps:") {
    throw new Error(`the Artemis endpoint's scheme is ${parsed.protocol}: expected amqp://user:password@host:port or amqps://…`);
  }
  const tls = parsed.protocol === "amqps:";
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : tls ? 5671 : 5672,
    transport: tls ? "tls" : "tcp",
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    reconnect: false,
    idle_time_out: IDLE_TIME_OUT_MS,
  } as ConnectionOptions;
}

/** Link and session errors end up here unless the link handles them: rhea throws an unhandled one from its container. */
const ERROR_EVENTS = ["error", "protocol_error", "session_error", "sender_error", "receiver_error"] as const;

/**
 * One AMQP 1.0 connection (rhea) with no automatic reconnect: its owner opens a new one when it
 * is `broken` (the broker closed it, the socket dropped, the idle time-out expired), so what a
 * reconnect does stays visible in one place.
 */
export class ArtemisConnection {
  broken = false;
  private readonly lostHandlers = new Set<() => void>();

  private constructor(readonly connection: Connection) {
    for (const event of ERROR_EVENTS) connection.on(event, () => {});
    const lost = () => {
      if (this.broken) return;
      this.broken = true;
      for (const handler of [...this.lostHandlers]) handler();
    };
    connection.on("disconnected", lost);
    connection.on("connection_close", lost);
    connection.on("connection_error", lost);
  }

  /** Opens a connection; rejects within `timeoutMs` when the broker does not complete the AMQP open (and SASL). */
  static async open(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<ArtemisConnection> {
    const container = rhea.create_container();
    const connection = container.connect(connectOptionsOf(url));
    for (const event of ERROR_EVENTS) connection.on(event, () => {});
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`the Artemis broker did not open an AMQP connection within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socketOf(connection)?.destroy();
        reject(error);
      };
      connection.once("connection_open", () => {
        clearTimeout(timer);
        resolve();
      });
      connection.once("connection_error", (context) => fail(new Error(`the Artemis broker refused the connection: ${reasonOf(context.connection.error)}`)));
      connection.once("disconnected", (context) => fail(new Error(`could not connect to the Artemis broker: ${context.error?.message ?? "disconnected"}`)));
    });
    connection.removeAllListeners("connection_error");
    connection.removeAllListeners("disconnected");
    return new ArtemisConnection(connection);
  }

  /** The version the broker announces in its open frame (`2.40.0`). */
  get serverVersion(): string {
    const version = (this.connection.properties as { version?: unknown } | undefined)?.version;
    return typeof version === "string" ? version : "unknown";
  }

  /** `handler` runs once when the connection is lost (not after `close`); the answer unregisters it. */
  onLost(handler: () => void): () => void {
    this.lostHandlers.add(handler);
    return () => this.lostHandlers.delete(handler);
  }

  /** A clean close, bounded in time: a broker that does not answer the close has its socket dropped. */
  async close(): Promise<void> {
    if (this.broken) return;
    this.broken = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.destroy();
        resolve();
      }, CLOSE_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.connection.once("connection_close", done);
      this.connection.once("disconnected", done);
      this.connection.close();
    });
  }

  /** Drops the socket with no goodbye, as a crashed process would: the broker puts back what this connection held unsettled. */
  destroy(): void {
    this.broken = true;
    socketOf(this.connection)?.destroy();
  }
}

/** What an AMQP error or a socket error says, for a message. */
export function reasonOf(error: { message?: string; description?: string; condition?: string } | undefined): string {
  return error?.description ?? error?.message ?? error?.condition ?? "no reason given";
}

function socketOf(connection: Connection): Socket | undefined {
  return (connection as unknown as { socket?: Socket }).socket;
}

/** Readiness: a real AMQP connection opens, credentials accepted (the port listens before the broker has booted). */
export async function artemisAnswers(url: string): Promise<boolean> {
  try {
    const connection = await ArtemisConnection.open(url);
    await connection.close();
    return true;
  } catch {
    return false;
  }
}
