import { createHash } from "node:crypto";

/** SQS queue names: 1 to 80 letters, digits, `-` and `_`, a FIFO queue's ending in `.fifo`. */
const MAX_NAME = 80;
const FIFO_SUFFIX = ".fifo";
const NOT_ALLOWED = /[^A-Za-z0-9_-]/g;
/** What a hashed name keeps of the name before its `-` and 16 hex digits. */
const KEPT_BEFORE_HASH = MAX_NAME - 17;

/**
 * The queue a stream is: named after the stream (which carries the run id), so teardown deletes
 * exactly what the run created. A name SQS would refuse (another character, too long) keeps an
 * allowed prefix and a hash of the whole name, so two streams never share a queue.
 */
export function queueNameOf(streamName: string, fifo: boolean): string {
  const room = MAX_NAME - (fifo ? FIFO_SUFFIX.length : 0);
  const allowed = streamName.replace(NOT_ALLOWED, "-");
  const base =
    allowed === streamName && streamName.length <= room && streamName.length > 0
      ? streamName
      : `${allowed.slice(0, room - 17)}-${createHash("sha256").update(streamName).digest("hex").slice(0, 16)}`;
  return fifo ? `${base}${FIFO_SUFFIX}` : base;
}

/** The stream's dead-letter queue (with `maxReceiveCount`), named after the stream too. */
export const deadLetterQueueNameOf = (streamName: string, fifo: boolean): string => queueNameOf(`${streamName}-dead-letters`, fifo);

/** What the standard queue name of every name starting with `prefix` starts with: ListQueues' QueueNamePrefix for them. */
export const queueNamePrefixOf = (prefix: string): string => prefix.replace(NOT_ALLOWED, "-").slice(0, KEPT_BEFORE_HASH);
