/**
 * The program the native provider runs for the `kinesis` service (`node kinesalite-server.js
 * --port N [--data DIR]`): kinesalite (Kinesis Data Streams) and dynalite (DynamoDB, for the
 * consumer groups' lease tables, as the KCL keeps them) behind one loopback port, each request
 * handed to the one its X-Amz-Target names, as AWS's emulators on one edge port do. Both are
 * mhart's LevelDB-backed emulators, in memory unless `--data` names a folder.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";

type Emulator = (options: Record<string, unknown>) => Server;
const require = createRequire(import.meta.url);
const kinesalite = require("kinesalite") as Emulator;
const dynalite = require("dynalite") as Emulator;

const { values } = parseArgs({ options: { port: { type: "string" }, data: { type: "string" } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0) throw new Error(`kinesalite-server: --port must be a TCP port number, got ${JSON.stringify(values.port)}`);

/** The emulators' default delays (500 ms and more per create and delete) would only slow every run's setup. */
const NO_DELAYS = { createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
const handlerOf = (server: Server) => server.listeners("request")[0] as (req: IncomingMessage, res: ServerResponse) => void;
const kinesis = handlerOf(kinesalite({ ...NO_DELAYS, shardLimit: 1_000, ...(values.data ? { path: join(values.data, "kinesis") } : {}) }));
const dynamodb = handlerOf(dynalite({ ...NO_DELAYS, ...(values.data ? { path: join(values.data, "dynamodb") } : {}) }));

const server = createServer((req, res) => (String(req.headers["x-amz-target"] ?? "").startsWith("DynamoDB_") ? dynamodb : kinesis)(req, res));
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`kinesalite and dynalite listening on 127.0.0.1:${port}${values.data ? `, data in ${values.data}` : ", in memory"}`));
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));
