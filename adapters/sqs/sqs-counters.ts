/** What the sqs adapter did that the harness cannot see, summed into the result's `adapterStats`. */
export interface SqsCounters {
  /** Entries of a SendMessageBatch the server failed (not the sender's fault) and that were sent again. */
  sendRetries: number;
  /** ReceiveMessage calls that failed (server down, queue gone); the member waits and polls again. */
  receiveErrors: number;
  /** Long polls that waited their whole WaitTimeSeconds and brought nothing. */
  emptyReceives: number;
  /** Acknowledgements (DeleteMessageBatch entries) the server refused, e.g. a receipt handle gone stale after the visibility timeout. */
  ackFailures: number;
  /** Messages in the stream's dead-letter queue (received maxReceiveCount times, never deleted), as the last lag reading found them. */
  deadLettered: number;
}

export const newSqsCounters = (): SqsCounters => ({ sendRetries: 0, receiveErrors: 0, emptyReceives: 0, ackFailures: 0, deadLettered: 0 });
