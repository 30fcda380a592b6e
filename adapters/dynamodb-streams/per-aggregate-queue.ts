/**
 * Runs the writes of one aggregate one after another, in the order they were asked for. DynamoDB
 * Streams orders records by when their writes committed, so an aggregate with two writes in flight
 * could reach the stream out of version order; in turn, a version is assigned only once the
 * previous write has settled, so a failed write leaves no gap.
 */
export class PerAggregateQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(aggregate: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(aggregate) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(aggregate, tail);
    void tail.then(() => {
      if (this.tails.get(aggregate) === tail) this.tails.delete(aggregate);
    });
    return result;
  }
}
