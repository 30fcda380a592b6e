/**
 * Runs the writes of one aggregate one after another, in the order they were asked for. DynamoDB
 * Streams orders records by when their writes committed, and Kinesis by when their PutRecords
 * reached the shard, so an aggregate with two writes in flight could reach the stream out of
 * order; in turn, a DynamoDB version is assigned only once the previous write has settled, so a
 * failed write leaves no gap. A write of several aggregates (one PutRecords) waits for the writes
 * before it of each of them, and the next write of any of them waits for it.
 */
export class PerAggregateQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(aggregates: readonly string[], task: () => Promise<T>): Promise<T> {
    const distinct = [...new Set(aggregates)];
    const before = distinct.flatMap((a) => {
      const tail = this.tails.get(a);
      return tail ? [tail] : [];
    });
    const result = (before.length === 0 ? Promise.resolve() : Promise.all(before)).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    for (const a of distinct) this.tails.set(a, tail);
    void tail.then(() => {
      for (const a of distinct) if (this.tails.get(a) === tail) this.tails.delete(a);
    });
    return result;
  }
}
