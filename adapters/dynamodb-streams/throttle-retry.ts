/** Errors DynamoDB answers when a table, a partition or the account is over its throughput. */
const THROTTLING = new Set(["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "LimitExceededException"]);

export function isThrottling(error: unknown): boolean {
  return THROTTLING.has((error as { name?: string })?.name ?? "");
}

/** Counts what the retry policy did, for the result. */
export interface RetryCounter {
  throttled: number;
}

/**
 * Retries a throttled call with capped exponential backoff and full jitter (the SDK's own retries
 * are off: they would hide latency); anything else, or the last attempt, is thrown.
 */
export async function withThrottleRetries<T>(call: () => Promise<T>, maxAttempts: number, counter: RetryCounter, baseMs = 25, capMs = 2_000): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= maxAttempts) throw error;
      counter.throttled++;
      const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
      await new Promise((r) => setTimeout(r, Math.random() * ceiling));
    }
  }
}
