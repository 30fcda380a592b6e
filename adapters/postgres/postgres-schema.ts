import type { Queryable } from "./postgres-connection.js";
import type { StreamObjects } from "./postgres-names.js";

/**
 * The tables of one stream. `position` is the order of insertion; `tx_id` the inserting
 * transaction. Subscriptions follow (tx_id, position) and read only transactions older than the
 * oldest one still running (`pg_snapshot_xmin`), so an event committed late by a transaction that
 * started early is never skipped (README.md, "The gap problem"). The unique (stream_id, version)
 * is the optimistic-concurrency check.
 */
function tablesSql(o: StreamObjects): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${o.schema};
CREATE TABLE IF NOT EXISTS ${o.events} (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  version integer NOT NULL,
  partition integer NOT NULL,
  payload bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_stream_version UNIQUE (stream_id, version)
);
CREATE INDEX IF NOT EXISTS events_subscription_order ON ${o.events} (partition, tx_id, position);
CREATE TABLE IF NOT EXISTS ${o.checkpoints} (
  consumer_group text NOT NULL,
  partition integer NOT NULL,
  tx_id xid8 NOT NULL DEFAULT '0',
  position bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, partition)
);`;
}

/**
 * One aggregate's events of one command, in one transaction (the function's statement). The
 * per-aggregate advisory lock serialises appends to one aggregate, so the transaction that writes
 * version n+1 takes its transaction id after the one that wrote n committed: the subscription
 * order (tx_id, position) then keeps each aggregate's version order. A stale expected version
 * inserts a version that exists and fails on the unique constraint (SQLSTATE 23505: a conflict);
 * one ahead of the aggregate answers -1 (a conflict too, nothing written). Without an expected
 * version the events follow the current one.
 */
function appendFunctionSql(o: StreamObjects, partitions: number): string {
  return `
CREATE OR REPLACE FUNCTION ${o.appendFunction}(p_stream text, p_expected integer, p_payloads bytea[], p_notify boolean)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  current_version integer;
BEGIN
  PERFORM pg_advisory_xact_lock(${o.lockSpace}, hashtext(p_stream));
  SELECT coalesce(max(version), 0) INTO current_version FROM ${o.events} WHERE stream_id = p_stream;
  IF p_expected IS NOT NULL AND p_expected > current_version THEN
    RETURN -1;
  END IF;
  INSERT INTO ${o.events} (stream_id, version, partition, payload)
    SELECT p_stream, coalesce(p_expected, current_version) + t.ord, (hashtext(p_stream) & 2147483647) % ${partitions}, t.payload
    FROM unnest(p_payloads) WITH ORDINALITY AS t(payload, ord);
  IF p_notify THEN
    PERFORM pg_notify('${o.channel}', '');
  END IF;
  RETURN coalesce(p_expected, current_version) + cardinality(p_payloads);
END
$fn$;`;
}

export async function createStreamObjects(client: Queryable, o: StreamObjects, partitions: number, groups: readonly string[]): Promise<void> {
  await client.query(tablesSql(o) + appendFunctionSql(o, partitions));
  await ensureCheckpoints(client, o, partitions, groups);
}

/** A group's checkpoints start before the first event; an existing one is kept (setup is idempotent). */
export async function ensureCheckpoints(client: Queryable, o: StreamObjects, partitions: number, groups: readonly string[]): Promise<void> {
  if (groups.length === 0) return;
  await client.query(
    `INSERT INTO ${o.checkpoints} (consumer_group, partition) SELECT g, p FROM unnest($1::text[]) AS g, generate_series(0, $2::int - 1) AS p ON CONFLICT DO NOTHING`,
    [groups, partitions],
  );
}

export async function dropStreamObjects(client: Queryable, o: StreamObjects): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${o.schema} CASCADE`);
}

export async function streamObjectsExist(client: Queryable, o: StreamObjects): Promise<boolean> {
  const { rows } = await client.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [o.schemaName]);
  return rows.length > 0;
}
