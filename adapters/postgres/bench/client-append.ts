/**
 * Which Node PostgreSQL client appends faster? Starts eventbench's own PostgreSQL (native, in a
 * temporary folder), creates one stream, then through `pg` and through `postgres` (porsager) in
 * turn runs WRITERS connections, each appending one 200-byte event per call through the stream's
 * append function (one transaction per command, as the adapter does), for SECONDS, and prints
 * events/s and p99 of the call. Not a test: run it by hand.
 *
 *   node dist/adapters/postgres/bench/client-append.js
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import postgres from "postgres";
import { streamObjects } from "../postgres-names.js";
import { createStreamObjects } from "../postgres-schema.js";
import { startNativePostgres } from "../postgres-native-server.js";

const WRITERS = Number(process.env.WRITERS ?? 4);
const SECONDS = Number(process.env.SECONDS ?? 5);
const payload = Buffer.alloc(200, 120);
/** `postgres` types a JS array by its elements (bytea here) unless told the array's own type. */
const BYTEA_ARRAY_OID = 1001;

async function drive(name: string, append: (writer: number, key: string) => Promise<void>): Promise<void> {
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  const loop = async (writer: number) => {
    while (performance.now() < end) {
      const started = performance.now();
      await append(writer, `agg-${writer}-${n++ % 500}`);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => loop(w)));
  const rate = latencies.length / ((performance.now() - started) / 1000);
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  process.stdout.write(`${name}: ${Math.round(rate)} events/s, p99 ${p99.toFixed(2)} ms (${WRITERS} writers, one event per transaction, ${SECONDS} s)\n`);
}

const workDir = await mkdtemp(join(tmpdir(), "eventbench-pg-bench-"));
const server = await startNativePostgres({ workDir });
try {
  const objects = streamObjects("client-append-bench");
  const admin = new pg.Client({ connectionString: server.endpoint.url });
  admin.on("error", () => {});
  await admin.connect();
  await createStreamObjects(admin, objects, 4, []);
  const sql = `SELECT ${objects.appendFunction}($1::text, NULL::int, $2::bytea[], false) AS version`;

  const pgClients = await Promise.all(Array.from({ length: WRITERS }, async () => {
    const c = new pg.Client({ connectionString: server.endpoint.url });
    await c.connect();
    return c;
  }));
  await drive("pg 8.23.1", async (w, key) => void (await (pgClients[w] as pg.Client).query(sql, [key, [payload]])));
  await Promise.all(pgClients.map((c) => c.end()));

  const porsager = Array.from({ length: WRITERS }, () => postgres(server.endpoint.url, { max: 1 }));
  await drive("postgres 3.4.9", async (w, key) => void (await (porsager[w] as postgres.Sql).unsafe(sql, [key, (porsager[w] as postgres.Sql).array([payload], BYTEA_ARRAY_OID)])));
  await Promise.all(porsager.map((s) => s.end()));
  await admin.end();
} finally {
  await server.stop();
  await rm(workDir, { recursive: true, force: true });
}
