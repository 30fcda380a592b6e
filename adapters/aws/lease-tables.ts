import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { deleteTable } from "./delete-table.js";
import { ShardLeaseTable } from "./shard-lease-table.js";
import type { ThrottleCounter } from "./throttle-retry.js";

/** An adapter's lease tables, one per stream (`<stream>-leases`), each created once however many members ask for it. */
export class LeaseTables {
  private readonly ready = new Map<string, Promise<ShardLeaseTable>>();

  constructor(
    private readonly client: () => DynamoDBClient,
    private readonly maxAttempts: number,
    private readonly counter: ThrottleCounter,
  ) {}

  /** The stream's lease table, created on first use by `setup` or by a group's first member. */
  of(stream: string): Promise<ShardLeaseTable> {
    let ready = this.ready.get(stream);
    if (!ready) {
      const table = new ShardLeaseTable(this.client(), ShardLeaseTable.nameFor(stream), this.maxAttempts, this.counter);
      ready = table.create().then(() => table);
      ready.catch(() => this.ready.delete(stream));
      this.ready.set(stream, ready);
    }
    return ready;
  }

  /** Deletes the stream's lease table (teardown). */
  async drop(stream: string): Promise<void> {
    this.ready.delete(stream);
    await deleteTable(this.client(), ShardLeaseTable.nameFor(stream));
  }
}
