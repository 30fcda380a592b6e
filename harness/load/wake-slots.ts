/**
 * Layout of the memory a thread shares with its wake clock's sleeper thread. Int32 slots (for
 * Atomics) and Float64 slots (times) index the same 32 bytes; they do not overlap.
 */
export const WAKE_SLOTS = {
  /** Int32: bumped by the owner with each new wake request. */
  request: 0,
  /** Int32: the request the sleeper last fired for; the owner waits on it changing. */
  fired: 1,
  /** Float64: monotonic ns to wake at (0: nothing asked). */
  wakeAtNs: 1,
  /** Float64: the sleeper thread's own CPU time so far, µs. */
  cpuUs: 2,
  bytes: 32,
} as const;
