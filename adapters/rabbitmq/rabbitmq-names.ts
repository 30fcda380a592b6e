import { createHash } from "node:crypto";

/** AMQP 0.9.1 names are short strings: at most 255 bytes. */
const MAX_NAME = 255;

function fit(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME) return name;
  const digest = createHash("sha256").update(name).digest("hex").slice(0, 16);
  return `${name.slice(0, 200)}~${digest}`;
}

/**
 * Everything one stream owns on the broker, named after it (the stream's name carries the run
 * id), so a teardown deletes exactly what the run created: the fan-out exchange producers publish
 * to, one queue per consumer group bound to it, and the registry queue that remembers the groups
 * (AMQP cannot list an exchange's bindings; teardown reads the group names back from it).
 */
export interface StreamNames {
  readonly exchange: string;
  readonly registry: string;
  groupQueue(group: string): string;
}

export function streamNames(stream: string): StreamNames {
  return {
    exchange: fit(stream),
    registry: fit(`${stream}.groups`),
    // `.group.` keeps a group called `s` from ever being named like the registry (`.groups`).
    groupQueue: (group) => fit(`${stream}.group.${group}`),
  };
}
