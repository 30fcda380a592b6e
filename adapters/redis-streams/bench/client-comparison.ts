/**
 * Which client should redis-streams run on? ioredis and node-redis (package `redis`) side by side,
 * in one process, against one redis-server the script starts (native, loopback, no persistence):
 *
 * 1. publish latency at low rates: one connection, one XADD per event at RATES events/s, paced by
 *    a 1 ms timer as a sender without a precise clock would be; service time (call → reply) per
 *    XADD. node-redis defers every write to setImmediate (the commands of one event-loop turn go out
 *    in one write); this shows what that costs or saves when nothing else is queued;
 * 2. throughput: C connections, each with one pipeline of P XADD in flight (P=16 and P=1, C=50), as
 *    redis-benchmark's C clients each with a pipeline of P; each client sent as the adapters send
 *    a batch (ioredis: pipeline(); node-redis: P sendCommand calls in one turn);
 * 3. a dropped connection: one connection with IN_FLIGHT XADDs always outstanding, killed with
 *    CLIENT KILL half-way; afterwards every entry of the stream is read back and each XADD's
 *    sequence number checked: replies that were errors, entries written although their reply was an
 *    error (the harness would see them consumed, never acknowledged) and entries written twice (a
 *    re-sent command).
 *
 * Not a test: run it by hand, figures into docs/BENCHMARKS.md.
 *
 *   npm run build; node dist/adapters/redis-streams/bench/client-comparison.js
 *   SECONDS=5 RATES=1000,5000 REPEAT=3 node dist/adapters/redis-streams/bench/client-comparison.js
 */
import { createRequire } from "node:module";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { connectRedis } from "../redis-connection.js";
import { startNativeRedis } from "../redis-native-server.js";

const SECONDS = Number(process.env.SECONDS ?? 5);
const RATES = (process.env.RATES ?? "1000,5000").split(",").map(Number);
const REPEAT = Number(process.env.REPEAT ?? 3);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 50);
const PAYLOAD = Buffer.alloc(256, 120);
const versionOf = (name: string) => (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
const CLIENTS = { ioredis: `ioredis ${versionOf("ioredis")}`, redis: `node-redis ${versionOf("@redis/client")}` } as const;
type ClientName = keyof typeof CLIENTS;

/** The one thing the measurements need of a client: send a command, or a pipeline of them. */
interface Connection {
  send(args: (string | Buffer)[]): Promise<unknown>;
  pipeline(commands: (string | Buffer)[][]): Promise<unknown>;
  /** The server's id for this connection, for CLIENT KILL ID. */
  id(): Promise<number>;
  close(): Promise<void>;
}

async function connect(client: ClientName, url: string): Promise<Connection> {
  if (client === "ioredis") {
    const r = new Redis(url, { enableAutoPipelining: false, protocol: 2, maxRetriesPerRequest: null });
    r.on("error", () => {});
    await r.ping();
    return {
      send: ([command, ...args]) => r.call(command as string, args),
      pipeline: async (commands) => {
        const p = r.pipeline();
        for (const [command, ...args] of commands) p.call(command as string, ...args);
        const replies = (await p.exec()) ?? [];
        const failed = replies.find(([error]) => error);
        if (failed) throw failed[0] as Error;
        return replies;
      },
      id: async () => Number(await r.call("CLIENT", ["ID"])),
      close: async () => void r.disconnect(),
    };
  }
  // The adapter's own connection: RESP2, no command timeout, reconnecting.
  const c = await connectRedis(url);
  return {
    send: (args) => c.sendCommand(args),
    // As the adapter sends a batch: commands issued in one turn go out in one write.
    pipeline: (commands) => Promise.all(commands.map((args) => c.sendCommand(args))),
    id: async () => Number(await c.sendCommand(["CLIENT", "ID"])),
    close: async () => c.destroy(),
  };
}

const xadd = (stream: string, seq: number): (string | Buffer)[] => ["XADD", stream, "*", "s", String(seq), "p", PAYLOAD];
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (v: number) => v.toFixed(3);
const median = (vs: number[]) => [...vs].sort((a, b) => a - b)[Math.floor(vs.length / 2)] as number;

/** Open loop on a 1 ms timer: each tick sends what fell due since the last one. */
async function lowRate(client: ClientName, url: string, rate: number): Promise<{ p50: number; p99: number; sent: number }> {
  const connection = await connect(client, url);
  const samples: number[] = [];
  const stream = `low-${client}-${rate}`;
  const start = performance.now();
  let due = 0;
  let seq = 0;
  const pending: Promise<void>[] = [];
  while (performance.now() - start < SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, 1));
    const shouldHaveSent = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; due < shouldHaveSent; due++) {
      const sentAt = performance.now();
      pending.push(connection.send(xadd(stream, seq++)).then(() => void samples.push(performance.now() - sentAt)));
    }
  }
  await Promise.all(pending);
  await connection.close();
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), sent: samples.length };
}

async function throughput(client: ClientName, url: string, pipeline: number, clients: number): Promise<number> {
  const connections = await Promise.all(Array.from({ length: clients }, () => connect(client, url)));
  const stream = `thru-${client}`;
  let sent = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    connections.map(async (c) => {
      while (performance.now() < end) {
        if (pipeline === 1) await c.send(xadd(stream, sent));
        else await c.pipeline(Array.from({ length: pipeline }, (_, i) => xadd(stream, sent + i)));
        sent += pipeline;
      }
    }),
  );
  const rate = sent / ((performance.now() - t0) / 1000);
  await Promise.all(connections.map((c) => c.close()));
  return rate;
}

interface DropOutcome {
  /** Connections CLIENT KILL closed: 1, or the drop did not happen. */
  readonly killed: number;
  readonly attempted: number;
  readonly ok: number;
  readonly failed: number;
  readonly writtenAfterFailure: number;
  readonly okMissing: number;
  readonly duplicated: number;
}

/** IN_FLIGHT XADDs outstanding on one connection for SECONDS, the connection killed half-way. */
async function droppedConnection(client: ClientName, url: string, admin: Redis): Promise<DropOutcome> {
  const connection = await connect(client, url);
  const stream = `drop-${client}`;
  await admin.del(stream);
  const id = await connection.id();
  const outcome = new Map<number, boolean>();
  let seq = 0;
  const end = performance.now() + SECONDS * 1000;
  let killed = 0;
  const killer = setTimeout(() => void admin.call("CLIENT", ["KILL", "ID", String(id)]).then((n) => (killed = Number(n))), (SECONDS * 1000) / 2);
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        const mine = seq++;
        try {
          await connection.send(xadd(stream, mine));
          outcome.set(mine, true);
        } catch {
          outcome.set(mine, false);
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    }),
  );
  clearTimeout(killer);
  await connection.close();
  const written = new Map<number, number>();
  for (const [, fields] of (await admin.call("XRANGE", [stream, "-", "+"])) as [string, string[]][]) {
    const s = Number(fields[1]);
    written.set(s, (written.get(s) ?? 0) + 1);
  }
  let ok = 0, failed = 0, writtenAfterFailure = 0, okMissing = 0, duplicated = 0;
  for (const [s, succeeded] of outcome) {
    const times = written.get(s) ?? 0;
    if (succeeded) ok++;
    else failed++;
    if (!succeeded && times > 0) writtenAfterFailure++;
    if (succeeded && times === 0) okMissing++;
    if (times > 1) duplicated += times - 1;
  }
  await admin.del(stream);
  return { killed, attempted: outcome.size, ok, failed, writtenAfterFailure, okMissing, duplicated };
}

const workDir = await mkdtemp(join(tmpdir(), "redis-client-comparison-"));
const server = await startNativeRedis({ workDir });
const admin = new Redis(server.endpoint.url, { protocol: 2 });
const out = (line: string) => process.stdout.write(`${line}\n`);
try {
  out(`redis-server ${server.version} on ${server.endpoint.display}; ${SECONDS} s per measurement, medians of ${REPEAT}; ${CLIENTS.ioredis}, ${CLIENTS.redis}; Node.js ${process.version}`);
  const clients = Object.keys(CLIENTS) as ClientName[];
  // Clients alternate run by run, so a change in the machine's load falls on both.
  for (const rate of RATES) {
    const byClient = new Map<ClientName, { p50: number; p99: number; sent: number }[]>(clients.map((c) => [c, []]));
    for (let i = 0; i < REPEAT; i++) {
      for (const client of clients) {
        byClient.get(client)?.push(await lowRate(client, server.endpoint.url, rate));
        await admin.flushall();
      }
    }
    for (const [client, runs] of byClient) {
      out(`service time at ${rate}/s, ${CLIENTS[client]}: p50 ${ms(median(runs.map((r) => r.p50)))} ms, p99 ${ms(median(runs.map((r) => r.p99)))} ms (runs p50 ${runs.map((r) => ms(r.p50)).join(" / ")}, p99 ${runs.map((r) => ms(r.p99)).join(" / ")}; ${runs[0]?.sent} XADD each)`);
    }
  }
  for (const pipeline of [16, 1]) {
    const byClient = new Map<ClientName, number[]>(clients.map((c) => [c, []]));
    for (let i = 0; i < REPEAT; i++) {
      for (const client of clients) {
        byClient.get(client)?.push(await throughput(client, server.endpoint.url, pipeline, 50));
        await admin.flushall();
      }
    }
    for (const [client, rates] of byClient) {
      out(`throughput P=${pipeline} C=50, ${CLIENTS[client]}: ${Math.round(median(rates)).toLocaleString("en-US")} XADD/s (runs ${rates.map((r) => Math.round(r).toLocaleString("en-US")).join(" / ")})`);
    }
  }
  for (const client of clients) {
    for (let i = 0; i < REPEAT; i++) {
      const d = await droppedConnection(client, server.endpoint.url, admin);
      out(`dropped connection, ${CLIENTS[client]}, ${IN_FLIGHT} in flight, ${d.killed} connection killed: ${d.attempted} XADD, ${d.ok} replied OK, ${d.failed} failed, ${d.writtenAfterFailure} written although failed, ${d.duplicated} written twice, ${d.okMissing} OK but missing`);
    }
  }
} finally {
  admin.disconnect();
  await server.stop();
  await rm(workDir, { recursive: true, force: true });
}
