/**
 * Topic deletion is asynchronous in Kafka: DeleteTopics answers before every broker's metadata
 * (and a client's metadata cache) has forgotten the topic. Teardown waits until it is gone, so
 * "leaves nothing behind" holds when it returns.
 */
export async function awaitTopicDeletion(exists: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await exists()) {
    if (Date.now() > deadline) throw new Error(`topic still listed ${timeoutMs} ms after its deletion`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
