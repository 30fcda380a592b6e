import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  type ListShardsCommandOutput,
} from "@aws-sdk/client-kinesis";
import { LeasedShardReader, type ShardRead, type ShardSource, type SourceShard } from "../aws/leased-shard-reader.js";
import type { ShardLeaseTable } from "../aws/shard-lease-table.js";
import { withThrottleRetries } from "../aws/throttle-retry.js";
import type { ConsumerOptions, EventHandler } from "../contract/adapter.js";
import type { KinesisCounters } from "./kinesis-counters.js";

export interface KinesisMemberWiring {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly leases: ShardLeaseTable;
  readonly options: ConsumerOptions;
  readonly pollIntervalMs: number;
  readonly maxAttempts: number;
  readonly counters: KinesisCounters;
  readonly onEvents: EventHandler;
}

/** Kinesis Data Streams' calls for the shared leased reader: ListShards (paged), GetShardIterator, GetRecords. */
class KinesisShards implements ShardSource {
  constructor(private readonly w: KinesisMemberWiring) {}

  async listShards(): Promise<SourceShard[]> {
    const shards: SourceShard[] = [];
    let next: string | undefined;
    do {
      const token = next;
      // ListShards takes the stream's name or a NextToken, never both.
      const out: ListShardsCommandOutput = await this.retried(() => this.w.client.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: this.w.streamName })));
      for (const s of out.Shards ?? []) shards.push({ shardId: s.ShardId as string, parentShardId: s.ParentShardId });
      next = out.NextToken;
    } while (next);
    return shards;
  }

  async iterator(shardId: string, afterSequence: string | undefined): Promise<string | undefined> {
    const out = await this.retried(() =>
      this.w.client.send(
        new GetShardIteratorCommand({
          StreamName: this.w.streamName,
          ShardId: shardId,
          ...(afterSequence ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber: afterSequence } : { ShardIteratorType: "TRIM_HORIZON" }),
        }),
      ),
    );
    return out.ShardIterator;
  }

  async read(iterator: string, limit: number): Promise<ShardRead> {
    try {
      const out = await this.retried(() => this.w.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit })));
      const records = (out.Records ?? []).map((r) => ({ sequenceNumber: r.SequenceNumber as string, key: r.PartitionKey ?? "", payload: r.Data ?? new Uint8Array() }));
      return { records, nextIterator: out.NextShardIterator };
    } catch (error) {
      // An iterator expires 5 minutes after it was issued. (A position older than the retention
      // is not an error on Kinesis: reading starts at the oldest record kept.)
      if (error instanceof ExpiredIteratorException) return "expired";
      throw error;
    }
  }

  private retried<T>(call: () => Promise<T>): Promise<T> {
    return withThrottleRetries(call, this.w.maxAttempts, this.w.counters);
  }
}

/**
 * A group member reading a Kinesis data stream: the KCL-style leased reader shared with DynamoDB
 * Streams (`adapters/aws/leased-shard-reader.ts`), its leases in the stream's `<name>-leases`
 * DynamoDB table.
 */
export class KinesisGroupMember extends LeasedShardReader {
  constructor(w: KinesisMemberWiring) {
    super({ source: new KinesisShards(w), leases: w.leases, options: w.options, pollIntervalMs: w.pollIntervalMs, counters: w.counters, onEvents: w.onEvents });
  }
}
