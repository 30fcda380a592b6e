import pg from "pg";

const CONNECT_TIMEOUT_MS = 3_000;

/** SQLSTATE of a unique violation: the optimistic-concurrency check failing. */
export const UNIQUE_VIOLATION = "23505";

/** What the schema statements need: a connection's `query`. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * One connection; rejects within seconds when the server does not answer. A connection that
 * breaks (server killed) reports `broken`, so its owner opens a new one instead of failing forever.
 * Its statements run one after the other: a connection runs one at a time anyway, and pg
 * deprecates handing it a query while one is running (pg 9 refuses), which the lag sampler, the
 * rehydrator's concurrent reads and a member's checkpoint commits beside its fetches all did.
 */
export class PostgresConnection implements Queryable {
  broken = false;
  private tail: Promise<unknown> = Promise.resolve();

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

  /** Runs the statement after every one handed in before it has settled (succeeded or failed). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>> {
    const run = () => this.client.query<R>(text, values as unknown[] | undefined);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => {});
    return result;
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
