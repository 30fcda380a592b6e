import { queueNameOf, queueNamePrefixOf } from "../sqs/sqs-queue-names.js";

/**
 * What a stream's topic and group queues are called: named after the stream (which carries the
 * run id), so teardown finds exactly what the run created. SNS topic names take the characters an
 * SQS queue name takes (letters, digits, `-`, `_`) and are longer, so the queue's naming serves.
 */
export const topicNameOf = (streamName: string): string => queueNameOf(streamName, false);

/** The queue one consumer group reads, subscribed to the stream's topic. */
export const groupQueueNameOf = (streamName: string, group: string): string => queueNameOf(`${streamName}-${group}`, false);

/** What every group queue name of the stream starts with (ListQueues' prefix). */
export const groupQueuePrefixOf = (streamName: string): string => queueNamePrefixOf(`${streamName}-`);

/** Tags on each group queue: which stream and group it belongs to, so teardown deletes only a queue the run made for that stream. */
export const STREAM_TAG = "eventbench-stream";
export const GROUP_TAG = "eventbench-group";
