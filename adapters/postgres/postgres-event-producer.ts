import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import { PostgresConnection, UNIQUE_VIOLATION } from "./postgres-connection.js";
import type { StreamObjects } from "./postgres-names.js";

const bufferOf = (p: Uint8Array) => Buffer.from(p.buffer, p.byteOffset, p.byteLength);

/** Conflicts by cause: a stale expected version (the unique constraint) or one ahead of the aggregate. */
export interface ConflictCounts {
  staleVersion: number;
  versionAhead: number;
}

/**
 * Appends each aggregate's events of a call as one command: one transaction (one call of the
 * stream's append function). A conflict rejects that aggregate's events only, as a stale command
 * would be; the other aggregates of the call are appended. The aggregates of one call go one
 * after the other on this producer's connection.
 */
export class PostgresEventProducer implements EventProducer {
  private constructor(
    private connection: PostgresConnection,
    private readonly url: string,
    private readonly objects: StreamObjects,
    private readonly notify: boolean,
    private readonly conflicts: ConflictCounts,
  ) {}

  static async open(url: string, objects: StreamObjects, notify: boolean, conflicts: ConflictCounts): Promise<PostgresEventProducer> {
    return new PostgresEventProducer(await PostgresConnection.open(url), url, objects, notify, conflicts);
  }

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    // A connection the server dropped (killed, restarted) is replaced on the next append.
    if (this.connection.broken) this.connection = await PostgresConnection.open(this.url);
    const byAggregate = new Map<string, OutgoingEvent[]>();
    for (const e of events) {
      const list = byAggregate.get(e.key);
      if (list) list.push(e);
      else byAggregate.set(e.key, [e]);
    }
    let appended = 0;
    const conflicts: string[] = [];
    for (const [aggregate, list] of byAggregate) {
      try {
        const { rows } = await this.connection.client.query<{ version: number }>(
          `SELECT ${this.objects.appendFunction}($1, $2, $3, $4) AS version`,
          [aggregate, list[0]?.expectedVersion ?? null, list.map((e) => bufferOf(e.payload)), this.notify],
        );
        if (rows[0]?.version === -1) {
          this.conflicts.versionAhead++;
          conflicts.push(aggregate);
        } else appended += list.length;
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        this.conflicts.staleVersion++;
        conflicts.push(aggregate);
      }
    }
    return { appended, conflicts };
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
