const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `attempt` until it succeeds, waiting 100 ms before the first call and twice as long before
 * each next one, up to 2 s (a consumer reconnecting to a broker that was killed or restarted).
 * Gives up once `stopped` answers true; resolves whether an attempt succeeded.
 */
export async function retryWithBackoff(attempt: () => Promise<void>, stopped: () => boolean): Promise<boolean> {
  for (let delay = FIRST_DELAY_MS; !stopped(); delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    await sleep(delay);
    if (stopped()) return false;
    try {
      await attempt();
      return true;
    } catch {
      // still down: try again
    }
  }
  return false;
}
