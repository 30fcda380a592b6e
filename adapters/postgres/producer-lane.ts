import type pg from "pg";
import { PostgresConnection } from "./postgres-connection.js";

/**
 * One of a producer's connections, running its statements one after the other in the order they
 * were handed in. A producer sends every aggregate to the same lane, so this order is the
 * aggregate's order. A connection the server dropped (killed, restarted) is replaced once, by the
 * first statement that finds it broken; the statements behind it wait for that one replacement
 * instead of each opening its own: appends of one aggregate on two connections at once would race
 * for its advisory lock and could commit in the other order (issue 22: 185 events out of order
 * after a restart).
 */
export class ProducerLane {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private connection: PostgresConnection,
    private readonly url: string,
  ) {}

  static async open(url: string): Promise<ProducerLane> {
    return new ProducerLane(await PostgresConnection.open(url), url);
  }

  /** Runs `statement` after everything handed in before it has settled (succeeded or failed). */
  query<R extends pg.QueryResultRow>(text: string, values: readonly unknown[]): Promise<pg.QueryResult<R>> {
    const run = async () => {
      if (this.connection.broken) this.connection = await PostgresConnection.open(this.url);
      return this.connection.query<R>(text, values);
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => {});
    return result;
  }

  async close(): Promise<void> {
    await this.tail;
    await this.connection.close();
  }
}
