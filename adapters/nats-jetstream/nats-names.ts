/**
 * Names on the server. A subject token, a stream name and a durable consumer name may not hold
 * `.`, `*`, `>`, whitespace or path separators, while run streams, group names and aggregate keys
 * are free text (a run id may hold a dot). Every character outside `[A-Za-z0-9_-]` is written as
 * `=` and its UTF-8 bytes in hex, so the mapping is reversible and two names never meet.
 */
const SAFE = /^[A-Za-z0-9_-]$/;

export function natsToken(text: string): string {
  let out = "";
  for (const ch of text) {
    if (SAFE.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, "utf8")) out += `=${byte.toString(16).padStart(2, "0")}`;
  }
  if (out === "") throw new Error("a NATS name cannot be empty");
  return out;
}

/** The inverse of `natsToken`. */
export function fromNatsToken(token: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === "=") {
      bytes.push(Number.parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The JetStream stream of run stream `name`: the name itself, made a valid stream name. */
export const streamNameOf = (name: string): string => natsToken(name);

/** The stream's subjects: one per aggregate key below the stream's own prefix. */
export const streamSubjects = (name: string): string => `${natsToken(name)}.>`;

/** The subject the events of aggregate `key` are published to. */
export const subjectOf = (name: string, key: string): string => `${natsToken(name)}.${natsToken(key)}`;

/** The aggregate key of a message's subject (the token after the stream's prefix). */
export function keyOfSubject(subject: string): string {
  const dot = subject.indexOf(".");
  return fromNatsToken(dot < 0 ? subject : subject.slice(dot + 1));
}

/**
 * The durable consumer of group `group`. Consumers live inside their stream, so the same logical
 * group name on another run's stream is another consumer, and deleting the stream deletes it.
 */
export const durableNameOf = (group: string): string => natsToken(group);
