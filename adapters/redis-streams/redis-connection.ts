import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createClient, ErrorReply, RESP_TYPES, type RedisClientOptions } from "@redis/client";
import { addSecrets } from "../../harness/environment/known-secrets.js";
import { ConfigError } from "../../harness/errors/errors.js";

export const NODE_REDIS_VERSION = (createRequire(import.meta.url)("@redis/client/package.json") as { version: string }).version;

const CONNECT_TIMEOUT_MS = 3_000;

/** Per-command option for replies whose bulk strings are payloads: Buffers, not UTF-8 strings. */
export const AS_BUFFERS = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } as const;

const make = (options: RedisClientOptions) => createClient({ ...options, RESP: 2 });
/** One node-redis connection speaking RESP2 (the parsers in stream-replies.ts; servers older than 6). */
export type RedisConnection = ReturnType<typeof make>;

/** One argument list of a command, as sendCommand takes it. */
export type RedisCommand = (string | Buffer)[];

/** PEM files for a `rediss://` URL: the CA that signed the server's certificate, and a client certificate and key for mutual TLS. */
const TLS_FILES = { ca: "REDIS_TLS_CA", cert: "REDIS_TLS_CERT", key: "REDIS_TLS_KEY" } as const;

/** The TLS options of a `rediss://` connection from REDIS_TLS_* (the system's CAs when REDIS_TLS_CA is unset). */
function tlsOptions(env: NodeJS.ProcessEnv): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const files: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
  for (const [option, variable] of Object.entries(TLS_FILES) as [keyof typeof TLS_FILES, string][]) {
    const path = env[variable];
    if (!path) continue;
    try {
      files[option] = readFileSync(path);
    } catch (error) {
      throw new ConfigError(variable, `cannot read the PEM file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  // The key never goes into a message; registered all the same, so nothing that quotes it is printed or stored.
  if (files.key) addSecrets(files.key.toString("utf8").split("\n").filter((line) => !line.startsWith("-----") && line.trim().length > 0));
  if (Boolean(files.cert) !== Boolean(files.key)) throw new ConfigError(files.cert ? TLS_FILES.key : TLS_FILES.cert, `a client certificate needs both ${TLS_FILES.cert} and ${TLS_FILES.key}`);
  return files;
}

/**
 * The URL's parts as node-redis options: `redis://[user:password@]host:port[/db]` (an ACL user and
 * its password, or the default user's password alone), `rediss://` for TLS with the PEM files of
 * REDIS_TLS_*. `?password=` (which ioredis reads, and eventbench's docs have shown) is taken as the
 * password too, so a REDIS_URL that worked before still does.
 */
function optionsOf(url: string, env: NodeJS.ProcessEnv): RedisClientOptions & { socket: object } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("REDIS_URL", "not a URL: expected redis://[user:password@]host:port[/db] or rediss://…");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw new ConfigError("REDIS_URL", `expected redis:// or rediss://, got ${parsed.protocol}//`);
  const password = parsed.searchParams.get("password");
  parsed.search = "";
  const tls = parsed.protocol === "rediss:";
  if (!tls) {
    const stray = Object.values(TLS_FILES).find((v) => env[v]);
    if (stray) throw new ConfigError(stray, "is set but the URL is redis://: use rediss:// for TLS");
  }
  return {
    url: parsed.toString(),
    ...(password !== null && !parsed.password ? { password } : {}),
    socket: tls ? { tls: true, ...tlsOptions(env) } : {},
  };
}

/** OpenSSL's and Node's codes for a server certificate the client does not trust. */
const UNTRUSTED = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_REJECTED|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** Why a connect failed, in the words of the server when it said why (WRONGPASS, NOAUTH), or the certificate check. */
function connectFailure(error: Error): string {
  const causes = [error, error.cause, (error as { originalError?: unknown }).originalError].filter((e): e is Error => e instanceof Error);
  const messages = causes.map((e) => e.message);
  const said = messages.find((m) => /WRONGPASS|NOAUTH|NOPERM|invalid password|invalid username-password/i.test(m));
  if (said) return `authentication failed (${said.trim()})`;
  const untrusted = causes.find((e) => UNTRUSTED.test(String((e as NodeJS.ErrnoException).code)));
  if (untrusted) return `certificate not trusted (${(untrusted as NodeJS.ErrnoException).code}: ${untrusted.message}; the CA that signed it goes in ${TLS_FILES.ca})`;
  return [...new Set(messages)].join(" (") + ")".repeat(Math.max(0, new Set(messages).size - 1));
}

/**
 * Connects one node-redis client; rejects within seconds when the server does not answer or
 * refuses the credentials. Once connected it reconnects for ever (a paused or restarting server
 * must show up as latency and failed appends, not end the run), and commands issued meanwhile wait
 * in its offline queue. What node-redis does with commands in flight when a connection drops: it
 * rejects them (they may have been executed: the harness then sees them consumed, never
 * acknowledged), where ioredis re-sent them (written twice); adapters/redis-streams/bench/.
 */
export async function connectRedis(url: string, env: NodeJS.ProcessEnv = process.env): Promise<RedisConnection> {
  let connected = false;
  const options = optionsOf(url, env);
  const client = make({
    ...options,
    socket: {
      ...options.socket,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Before the first connect a failure is final (the caller says why); after it, retry.
      reconnectStrategy: (attempt, cause) => (connected ? Math.min((attempt + 1) * 100, 1_000) : cause),
    },
    // The client's own keep-alive PING would be a command eventbench did not send.
    pingInterval: 0,
    // node-redis 6 fails a command unanswered for 5 s (a TimeoutError with no message); a paused
    // server must show up as latency, and the harness gives up on a silent one itself (answer-watch.ts).
    commandOptions: { timeout: 0 },
  });
  // Connection errors surface through the commands that fail (failure()); the event must not crash the run.
  client.on("error", (error: Error) => {
    if (connected && error instanceof ErrorReply) serverRefusals.set(client, error.message);
  });
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS).unref()),
    ]);
  } catch (error) {
    client.destroy();
    throw new Error(`cannot connect to Redis: ${connectFailure(error as Error)}`, { cause: error });
  }
  connected = true;
  return client;
}

/**
 * What the server last said when it refused a reconnect of `client` (an AUTH it rejected): node-redis
 * reports that only as an event, and the commands queued meanwhile fail with NOAUTH or a closed
 * socket, which alone would not say why.
 */
const serverRefusals = new WeakMap<RedisConnection, string>();

/** `error` of a command on `client`, with the server's refusal of the last reconnect when there was one. */
export function failure(client: RedisConnection, error: unknown): unknown {
  const refusal = serverRefusals.get(client);
  if (!refusal || !(error instanceof Error) || error.message.includes(refusal)) return error;
  return new Error(`${error.message} (on reconnecting, the server answered: ${refusal})`, { cause: error });
}

/** QUIT when the server answers, else drop the connection: closing never waits on a dead server. */
export async function closeRedis(client: RedisConnection): Promise<void> {
  if (!client.isOpen) return;
  await Promise.race([client.close(), new Promise((r) => setTimeout(r, 1_000).unref())]).catch(() => {});
  if (client.isOpen) client.destroy();
}
