import assert from "node:assert/strict";
import { it } from "node:test";
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { batchPut } from "./batch-put.js";

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: { S: "a" }, sk: { N: String(i + 1) } }));

/** A table that leaves the last item unprocessed in each of its first `throttledCalls` requests. */
function throttlingTable(throttledCalls: number) {
  const requests: number[] = [];
  const client = {
    send: async (command: unknown) => {
      assert.ok(command instanceof BatchWriteItemCommand);
      const writes = command.input.RequestItems?.t as WriteRequest[];
      requests.push(writes.length);
      return requests.length <= throttledCalls ? { UnprocessedItems: { t: writes.slice(-1) } } : { UnprocessedItems: {} };
    },
  };
  return { client: client as unknown as DynamoDBClient, requests };
}

it("splits into requests of 25 and sends unprocessed items again, counting each resend as a throttled retry", async () => {
  const { client, requests } = throttlingTable(2);
  const counter = { throttledRetries: 0 };
  await batchPut(client, "t", items(30), 5, counter);
  assert.deepEqual(requests.slice(0, 2).sort((a, b) => a - b), [5, 25], "30 items: one request of 25 and one of 5");
  assert.deepEqual(requests.slice(2), [1, 1], "the one unprocessed item of each is sent again");
  assert.equal(counter.throttledRetries, 2);
});

it("fails once items stay unprocessed for maxAttempts", async () => {
  const { client, requests } = throttlingTable(Infinity);
  const counter = { throttledRetries: 0 };
  await assert.rejects(batchPut(client, "t", items(3), 3, counter), /1 items of a BatchWriteItem to t still unprocessed after 3 attempts/);
  assert.deepEqual(requests, [3, 1, 1]);
  assert.equal(counter.throttledRetries, 2);
});
