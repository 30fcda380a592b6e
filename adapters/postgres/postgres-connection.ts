import pg from "pg";

const CONNECT_TIMEOUT_MS = 3_000;

/** SQLSTATE of a unique violation: the optimistic-concurrency check failing. */
export const UNIQUE_VIOLATION = "23505";

/**
 * One connection; rejects within seconds when the server does not answer. A connection that
 * breaks (server killed) reports `broken`, so its owner opens a new one instead of failing forever.
 */
export class PostgresConnection {
  broken = false;

  private constructor(readonly client: pg.Client) {
    client.on("error", () => {
      // The failing query rejects too; this only marks the connection for replacement.
      this.broken = true;
    });
    client.on("end", () => {
      this.broken = true;
    });
  }

  static async open(url: string): Promise<PostgresConnection> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: "eventbench" });
    const connection = new PostgresConnection(client);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw new Error(`cannot connect to PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
    return connection;
  }

  async close(): Promise<void> {
    this.broken = true;
    await this.client.end().catch(() => {});
  }

  /** Drops the socket with no goodbye: the server sees the session die (and releases its locks). */
  destroy(): void {
    this.broken = true;
    (this.client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }
}
