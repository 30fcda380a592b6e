import { BatchWriteItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { backOff, withThrottleRetries, type ThrottleCounter } from "../aws/throttle-retry.js";

/** BatchWriteItem's limit per request. */
const ITEMS_PER_REQUEST = 25;

/**
 * Writes items with BatchWriteItem, 25 per request, the requests in parallel. Items DynamoDB
 * returns unprocessed (its way of throttling a batch) are sent again after a backoff and counted
 * as throttled; after `maxAttempts` the call fails. Not atomic: a failed call may have written some.
 */
export async function batchPut(client: DynamoDBClient, table: string, items: readonly Record<string, AttributeValue>[], maxAttempts: number, counter: ThrottleCounter): Promise<void> {
  const requests: Promise<void>[] = [];
  for (let i = 0; i < items.length; i += ITEMS_PER_REQUEST) {
    const chunk = items.slice(i, i + ITEMS_PER_REQUEST).map((Item): WriteRequest => ({ PutRequest: { Item } }));
    requests.push(putChunk(client, table, chunk, maxAttempts, counter));
  }
  await Promise.all(requests);
}

async function putChunk(client: DynamoDBClient, table: string, chunk: WriteRequest[], maxAttempts: number, counter: ThrottleCounter): Promise<void> {
  let pending = chunk;
  for (let attempt = 1; ; attempt++) {
    const out = await withThrottleRetries(() => client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } })), maxAttempts, counter);
    pending = out.UnprocessedItems?.[table] ?? [];
    if (pending.length === 0) return;
    if (attempt >= maxAttempts) throw new Error(`${pending.length} items of a BatchWriteItem to ${table} still unprocessed after ${maxAttempts} attempts`);
    counter.throttledRetries++;
    await backOff(attempt);
  }
}
