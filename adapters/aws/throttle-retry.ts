/** Errors DynamoDB and Kinesis answer when a table, a shard, a partition or the account is over its throughput. */
const THROTTLING = new Set(["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "LimitExceededException"]);

export function isThrottling(error: unknown): boolean {
  return THROTTLING.has((error as { name?: string })?.name ?? "");
}

/** Where the retries of throttled requests are counted (an adapter's `stats()`). */
export interface ThrottleCounter {
  throttledRetries: number;
}

/** Capped exponential backoff with full jitter (AWS's advice), before attempt `attempt + 1`. */
export function backOff(attempt: number, baseMs = 25, capMs = 2_000): Promise<void> {
  const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return new Promise((r) => setTimeout(r, Math.random() * ceiling));
}

/**
 * Retries a throttled call, backing off, and counts each retry. The SDK's own retries are off
 * (`maxAttempts: 1` on the clients) because they would hide both the latency and the count; here
 * `maxAttempts` is explicit and anything that is not throttling, or the last attempt, is thrown.
 */
export async function withThrottleRetries<T>(call: () => Promise<T>, maxAttempts: number, counter: ThrottleCounter, baseMs = 25): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= maxAttempts) throw error;
      counter.throttledRetries++;
      await backOff(attempt, baseMs);
    }
  }
}
