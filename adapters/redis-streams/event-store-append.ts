import type { RedisConnection } from "./redis-connection.js";
import type { AppendResult, OutgoingEvent } from "../contract/adapter.js";
import { eventStoreKeys, type EventStoreKeys } from "./event-store-keys.js";
import { FIELDS } from "./stream-replies.js";

/**
 * One aggregate's events of one append, atomically (a script runs alone on the server): check the
 * expected version against the versions hash (ARGV[2], empty = no check), XADD each event to the
 * stream the consumer groups read and to the aggregate's own stream at id 0-<version>, then record
 * the new version. Returns the new version, or -1 when the expected version was stale.
 *
 * KEYS: stream, versions hash, aggregate stream, aggregates set.
 * ARGV: aggregate id, expected version or "", maxLen (0 = none), then the payloads.
 */
const APPEND_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= current then return -1 end
for i = 4, #ARGV do
  if ARGV[3] ~= '0' then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', '${FIELDS.key}', ARGV[1], '${FIELDS.payload}', ARGV[i])
  else
    redis.call('XADD', KEYS[1], '*', '${FIELDS.key}', ARGV[1], '${FIELDS.payload}', ARGV[i])
  end
  redis.call('XADD', KEYS[3], '0-' .. (current + i - 3), '${FIELDS.payload}', ARGV[i])
end
local version = current + #ARGV - 3
redis.call('HSET', KEYS[2], ARGV[1], version)
if current == 0 then redis.call('SADD', KEYS[4], ARGV[1]) end
return version`;

const bufferOf = (p: Uint8Array) => Buffer.from(p.buffer, p.byteOffset, p.byteLength);

/**
 * Appends as an event store: events grouped by aggregate (in order), one script call per
 * aggregate, all of one append call in one pipeline. A stale expected version rejects that
 * aggregate's events only; the other aggregates of the call are appended.
 */
export class EventStoreAppender {
  private sha: string | undefined;
  private readonly keys: EventStoreKeys;

  constructor(
    private readonly redis: RedisConnection,
    private readonly stream: string,
    private readonly maxLen: number,
  ) {
    this.keys = eventStoreKeys(stream);
  }

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    this.sha ??= String(await this.redis.sendCommand(["SCRIPT", "LOAD", APPEND_SCRIPT]));
    const sha = this.sha;
    const byAggregate = new Map<string, OutgoingEvent[]>();
    for (const e of events) {
      const list = byAggregate.get(e.key);
      if (list) list.push(e);
      else byAggregate.set(e.key, [e]);
    }
    // Sent in one event-loop turn, so node-redis writes them together: one pipeline.
    const replies = await Promise.allSettled([...byAggregate].map(([aggregate, list]) => {
      const expected = list[0]?.expectedVersion;
      return this.redis.sendCommand([
        "EVALSHA",
        sha,
        "4",
        this.stream,
        this.keys.versions,
        this.keys.aggregate(aggregate),
        this.keys.aggregates,
        aggregate,
        expected === undefined ? "" : String(expected),
        String(this.maxLen),
        ...list.map((e) => bufferOf(e.payload)),
      ]);
    }));
    // A server restarted or SCRIPT FLUSHed forgot the script: load it again on the next append.
    if (replies.some((r) => r.status === "rejected" && String((r.reason as Error).message).startsWith("NOSCRIPT"))) this.sha = undefined;
    let appended = 0;
    const conflicts: string[] = [];
    [...byAggregate].forEach(([aggregate, list], i) => {
      const reply = replies[i];
      if (!reply) throw new Error("no reply");
      if (reply.status === "rejected") throw reply.reason;
      if (Number(reply.value) === -1) conflicts.push(aggregate);
      else appended += list.length;
    });
    return { appended, conflicts };
  }
}
