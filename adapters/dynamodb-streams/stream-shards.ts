import { DescribeStreamCommand, type DynamoDBStreamsClient, type Shard } from "@aws-sdk/client-dynamodb-streams";
import { withThrottleRetries, type ThrottleCounter } from "../aws/throttle-retry.js";

/** Every shard of a stream, open and closed, across DescribeStream's pages of at most 100. */
export async function listShards(client: DynamoDBStreamsClient, streamArn: string, maxAttempts: number, counter: ThrottleCounter): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const out = await withThrottleRetries(
      () => client.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) })),
      maxAttempts,
      counter,
    );
    shards.push(...(out.StreamDescription?.Shards ?? []));
    // Only an absent LastEvaluatedShardId means the last page.
    start = out.StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return shards;
}
