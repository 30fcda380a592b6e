import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
} from "@aws-sdk/client-dynamodb-streams";
import { LeasedShardReader, type ShardRead, type ShardSource, type SourceRecord, type SourceShard } from "../aws/leased-shard-reader.js";
import type { ShardLeaseTable } from "../aws/shard-lease-table.js";
import { withThrottleRetries } from "../aws/throttle-retry.js";
import type { ConsumerOptions, EventHandler } from "../contract/adapter.js";
import type { AdapterCounters } from "./adapter-counters.js";
import { EVENT_ATTR } from "./event-item.js";
import { listShards } from "./stream-shards.js";

export interface StreamMemberWiring {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly leases: ShardLeaseTable;
  readonly options: ConsumerOptions;
  readonly pollIntervalMs: number;
  readonly maxAttempts: number;
  readonly counters: AdapterCounters;
  readonly onEvents: EventHandler;
}

/** DynamoDB Streams' calls for the shared leased reader: DescribeStream, GetShardIterator, GetRecords. */
class DynamoDbStreamShards implements ShardSource {
  constructor(private readonly w: StreamMemberWiring) {}

  async listShards(): Promise<SourceShard[]> {
    const shards = await listShards(this.w.streams, this.w.streamArn, this.w.maxAttempts, this.w.counters);
    return shards.map((s) => ({ shardId: s.ShardId as string, parentShardId: s.ParentShardId }));
  }

  async iterator(shardId: string, afterSequence: string | undefined): Promise<string | undefined> {
    const out = await this.retried(() =>
      this.w.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.w.streamArn,
          ShardId: shardId,
          ...(afterSequence ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: afterSequence } : { ShardIteratorType: "TRIM_HORIZON" }),
        }),
      ),
    );
    return out.ShardIterator;
  }

  async read(iterator: string, limit: number): Promise<ShardRead> {
    try {
      const out = await this.retried(() => this.w.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit })));
      const records: SourceRecord[] = [];
      for (const r of out.Records ?? []) {
        const image = r.dynamodb?.NewImage;
        const sequenceNumber = r.dynamodb?.SequenceNumber;
        if (!image || !sequenceNumber || r.eventName === "REMOVE") continue;
        // A MODIFY is an event written over an existing version: it is delivered, and the one it replaced is lost.
        if (r.eventName === "MODIFY") this.w.counters.overwrittenEvents++;
        records.push({ sequenceNumber, key: image[EVENT_ATTR.aggregate]?.S ?? "", payload: image[EVENT_ATTR.payload]?.B ?? new Uint8Array() });
      }
      return { records, nextIterator: out.NextShardIterator };
    } catch (error) {
      // An iterator expires 15 minutes after it was issued.
      if (error instanceof ExpiredIteratorException) return "expired";
      // The position is older than the stream's 24-hour retention.
      if (error instanceof TrimmedDataAccessException) return "trimmed";
      throw error;
    }
  }

  private retried<T>(call: () => Promise<T>): Promise<T> {
    return withThrottleRetries(call, this.w.maxAttempts, this.w.counters);
  }
}

/**
 * A group member reading DynamoDB Streams: the KCL-style leased reader shared with Kinesis
 * (`adapters/aws/leased-shard-reader.ts`) over DescribeStream (paged), GetShardIterator and
 * GetRecords, the leases in the stream's `<name>-leases` table.
 */
export class StreamGroupMember extends LeasedShardReader {
  constructor(w: StreamMemberWiring) {
    super({ source: new DynamoDbStreamShards(w), leases: w.leases, options: w.options, pollIntervalMs: w.pollIntervalMs, counters: w.counters, onEvents: w.onEvents });
  }
}
