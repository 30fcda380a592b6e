const PROBE_TIMEOUT_MS = 3_000;

/**
 * Why no container runtime can be used here, or null when one answers. testcontainers is imported
 * lazily: the native path never loads it, and an import failure becomes a reason, not a crash.
 */
export async function containerRuntimeUnavailableReason(): Promise<string | null> {
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([getContainerRuntimeClient(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return null;
  } catch (error) {
    return `no container runtime (${(error as Error).message})`;
  }
}
