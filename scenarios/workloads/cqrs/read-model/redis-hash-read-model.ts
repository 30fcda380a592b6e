import { Redis } from "ioredis";
import type { Envelope } from "../../../../harness/measurement/event-envelope.js";
import type { ReadModel } from "./read-model.js";

/**
 * Per event: count it, and raise the producer's high-water mark only upward, so two members of
 * the projecting group applying one aggregate's events out of order never lower it.
 */
const APPLY_SCRIPT = `
redis.call('HINCRBY', KEYS[1], 'events', 1)
local seen = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > seen then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 0`;

const CONNECT_TIMEOUT_MS = 3_000;

async function connect(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, enableAutoPipelining: false, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: null });
  client.on("error", () => {
    // failures surface through the commands that fail
  });
  await Promise.race([
    client.connect(),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`read model: no answer from Redis within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS).unref()),
  ]);
  return client;
}

/**
 * `redis-hash`: one Redis hash per aggregate (`<prefix>:<aggregate index>`), fields `events` and
 * `p<producer>` = highest seq + 1, written by the projector with a Lua script (one pipeline per
 * delivered batch) and read by the queries with HGET. The projector and the queries have a
 * connection each, as a projection service and a query service would.
 */
export class RedisHashReadModel implements ReadModel {
  private sha = "";

  private constructor(
    private readonly writer: Redis,
    private readonly reader: Redis,
    private readonly prefix: string,
    private readonly keys: number,
  ) {}

  static async open(url: string, prefix: string, keys: number): Promise<RedisHashReadModel> {
    const writer = await connect(url);
    const reader = await connect(url);
    const model = new RedisHashReadModel(writer, reader, prefix, keys);
    model.sha = String(await writer.call("SCRIPT", ["LOAD", APPLY_SCRIPT]));
    return model;
  }

  async apply(events: readonly Envelope[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.writer.pipeline();
    for (const e of events) pipeline.call("EVALSHA", this.sha, 1, `${this.prefix}:${e.keyIndex}`, `p${e.producerId}`, e.seq + 1);
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0] as Error;
  }

  async visible(producerId: number, keyIndex: number): Promise<number> {
    return Number((await this.reader.call("HGET", [`${this.prefix}:${keyIndex}`, `p${producerId}`])) ?? 0);
  }

  async clear(): Promise<void> {
    for (let k = 0; k < this.keys; k += 1000) {
      const names = Array.from({ length: Math.min(1000, this.keys - k) }, (_, i) => `${this.prefix}:${k + i}`);
      await this.writer.call("DEL", names);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.writer.quit(), this.reader.quit()]).catch(() => {
      this.writer.disconnect();
      this.reader.disconnect();
    });
  }
}
