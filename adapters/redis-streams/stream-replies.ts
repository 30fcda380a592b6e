/**
 * Parsers for the RESP2-shaped replies of the stream commands the adapter sends with
 * `sendCommand` (RESP2; the typed node-redis commands reshape replies per command, these read them as sent).
 */

export interface StreamEntry {
  readonly id: string;
  readonly key: string;
  readonly payload: Buffer;
}

export interface GroupInfo {
  readonly name: string;
  readonly pending: number;
  readonly lastDeliveredId: string;
  /** Entries never delivered to the group; null when Redis cannot tell (after XDEL/XTRIM). */
  readonly lag: number | null;
}

const KEY_FIELD = "k";
const PAYLOAD_FIELD = "p";
export const FIELDS = { key: KEY_FIELD, payload: PAYLOAD_FIELD } as const;

function entryFrom(raw: unknown): StreamEntry | null {
  const [id, fields] = raw as [Buffer, Buffer[] | null];
  // A claimed or pending entry whose data was deleted comes back with null fields.
  if (!fields) return null;
  let key = "";
  let payload: Buffer = Buffer.alloc(0);
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = (fields[i] as Buffer).toString();
    if (name === KEY_FIELD) key = (fields[i + 1] as Buffer).toString();
    else if (name === PAYLOAD_FIELD) payload = fields[i + 1] as Buffer;
  }
  return { id: id.toString(), key, payload };
}

/** XREADGROUP … STREAMS one-stream >  →  entries (empty on timeout). */
export function parseReadGroup(reply: unknown): StreamEntry[] {
  if (!reply) return [];
  const streams = reply as [Buffer, unknown[]][];
  const entries: StreamEntry[] = [];
  for (const [, items] of streams) {
    for (const item of items) {
      const entry = entryFrom(item);
      if (entry) entries.push(entry);
    }
  }
  return entries;
}

/** XAUTOCLAIM → [next-cursor, entries, deleted-ids] (Redis 7). */
export function parseAutoClaim(reply: unknown): { cursor: string; entries: StreamEntry[]; deleted: string[] } {
  const [cursor, items, deleted] = reply as [Buffer, unknown[], Buffer[] | undefined];
  const entries: StreamEntry[] = [];
  for (const item of items) {
    const entry = entryFrom(item);
    if (entry) entries.push(entry);
  }
  return { cursor: cursor.toString(), entries, deleted: (deleted ?? []).map(String) };
}

/** XINFO GROUPS → one group's counters. */
export function parseGroups(reply: unknown): GroupInfo[] {
  return (reply as unknown[][]).map((flat) => {
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < flat.length; i += 2) fields.set(String(flat[i]), flat[i + 1]);
    const lag = fields.get("lag");
    return {
      name: String(fields.get("name")),
      pending: Number(fields.get("pending") ?? 0),
      lastDeliveredId: String(fields.get("last-delivered-id") ?? "0-0"),
      lag: lag === null || lag === undefined ? null : Number(lag),
    };
  });
}

/** Milliseconds part of a stream id (`1700000000000-3`): the server's clock when it was added. */
export function idTimeMs(id: string): number {
  return Number(id.slice(0, id.indexOf("-")));
}
