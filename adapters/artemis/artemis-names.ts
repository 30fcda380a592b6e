/**
 * What one stream owns on the broker, named after it (the stream's name carries the run id), so a
 * teardown deletes exactly what the run created: a multicast address producers send to, and one
 * durable queue per consumer group on it (the broker lists an address's queues, so no registry
 * is needed). Consumers attach to a group's queue by its fully qualified name `address::queue`.
 */
export interface StreamNames {
  readonly address: string;
  groupQueue(group: string): string;
  /** The fully qualified queue name a member's receiver attaches to. */
  groupSource(group: string): string;
}

export function streamNames(stream: string): StreamNames {
  // `.group.` keeps the queues of stream `s` apart from an address named `s.x`.
  const groupQueue = (group: string) => `${stream}.group.${group}`;
  return { address: stream, groupQueue, groupSource: (group) => `${stream}::${groupQueue(group)}` };
}
