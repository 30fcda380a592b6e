import { connect, type ChannelModel } from "amqplib";

/** A connect that does not answer within this is a server that is not there (or paused). */
const CONNECT_TIMEOUT_MS = 3_000;
/** Heartbeats find a dead or frozen server (or a killed client socket) within about twice this. */
const HEARTBEAT_SECONDS = 10;

/** amqplib takes the heartbeat from the URL; one the user's RABBITMQ_URL sets is kept. */
function withHeartbeat(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has("heartbeat")) parsed.searchParams.set("heartbeat", String(HEARTBEAT_SECONDS));
  return parsed.toString();
}

/**
 * One AMQP 0.9.1 connection. A connection the broker or the network closed is marked broken (its
 * owner opens a new one) instead of crashing the process with an unhandled `error` event.
 */
export class AmqpConnection {
  broken = false;

  private constructor(readonly model: ChannelModel) {
    model.on("error", () => {
      this.broken = true;
    });
    model.on("close", () => {
      this.broken = true;
    });
  }

  static async open(url: string): Promise<AmqpConnection> {
    return new AmqpConnection(await connect(withHeartbeat(url), { timeout: CONNECT_TIMEOUT_MS }));
  }

  /** The version the broker announces in its connection properties (`3.10.8`). */
  get serverVersion(): string {
    const version = (this.model.connection.serverProperties as { version?: unknown }).version;
    return typeof version === "string" ? version : "unknown";
  }

  async close(): Promise<void> {
    if (this.broken) return;
    this.broken = true;
    await this.model.close().catch(() => {});
  }

  /** Drops the socket with no goodbye, as a crashed process would: the broker requeues what it held unacknowledged. */
  destroy(): void {
    this.broken = true;
    (this.model.connection as unknown as { stream: { destroy(): void } }).stream.destroy();
  }
}

/** Readiness: a real AMQP connection opens (the port listens before the broker has booted). */
export async function amqpAnswers(url: string): Promise<boolean> {
  try {
    const connection = await AmqpConnection.open(url);
    await connection.close();
    return true;
  } catch {
    return false;
  }
}
