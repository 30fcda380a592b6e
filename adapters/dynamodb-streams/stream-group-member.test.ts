import assert from "node:assert/strict";
import { it } from "node:test";
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
} from "@aws-sdk/client-dynamodb-streams";
import type { DeliveredEvent } from "../contract/adapter.js";
import { ShardLeases } from "./shard-leases.js";
import { StreamGroupMember } from "./stream-group-member.js";

const record = (seq: string, key: string) => ({
  eventName: "INSERT" as const,
  dynamodb: { SequenceNumber: seq, NewImage: { pk: { S: key }, sk: { N: seq }, p: { B: new Uint8Array([Number(seq)]) } } },
});

/**
 * A stream whose iterator expires after the first record (as it does 15 minutes after it was
 * issued): harness logic only, the real adapter runs the contract against DynamoDB Local.
 */
function expiringStream() {
  const iteratorRequests: { type?: string; after?: string }[] = [];
  let reads = 0;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof DescribeStreamCommand) return { StreamDescription: { Shards: [{ ShardId: "shard-1" }] } };
      if (command instanceof GetShardIteratorCommand) {
        iteratorRequests.push({ type: command.input.ShardIteratorType, after: command.input.SequenceNumber });
        return { ShardIterator: `it-${iteratorRequests.length}` };
      }
      if (command instanceof GetRecordsCommand) {
        reads++;
        if (reads === 1) return { Records: [record("1", "a")], NextShardIterator: "it-stale" };
        if (command.input.ShardIterator === "it-stale") throw new ExpiredIteratorException({ message: "Iterator expired", $metadata: {} });
        if (command.input.ShardIterator === "it-end") return { Records: [], NextShardIterator: "it-end" };
        return { Records: [record("2", "a")], NextShardIterator: "it-end" };
      }
      throw new Error("unexpected command");
    },
  };
  return { client: client as unknown as DynamoDBStreamsClient, iteratorRequests };
}

it("renews an expired shard iterator after the last delivered record, losing and repeating nothing", async () => {
  const { client, iteratorRequests } = expiringStream();
  const received: string[] = [];
  const retries = { throttled: 0, expiredIterators: 0, readErrors: 0 };
  const member = new StreamGroupMember({
    client,
    streamArn: "arn:test",
    leases: new ShardLeases(),
    options: { group: "g", member: "m" },
    pollIntervalMs: 5,
    maxAttempts: 1,
    retries,
    onEvents: (events: readonly DeliveredEvent[]) => received.push(...events.map((e) => e.position)),
  });
  member.start();
  for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  await member.close();
  assert.deepEqual(received, ["shard-1|1", "shard-1|2"]);
  assert.equal(retries.expiredIterators, 1);
  assert.deepEqual(iteratorRequests, [{ type: "TRIM_HORIZON", after: undefined }, { type: "AFTER_SEQUENCE_NUMBER", after: "1" }]);
});
