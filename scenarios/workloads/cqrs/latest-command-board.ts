/**
 * The most recently acknowledged command of each producer, shared between threads: the query load
 * reads the aggregate a producer just wrote, as a user reads back what they just did
 * (read-your-writes). One 64-bit word per producer, written and read atomically, so a reader
 * never sees a key from one command with the sequence number of another.
 */
export class LatestCommandBoard {
  private readonly words: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new BigInt64Array(buffer);
  }

  static buffer(producers: number): SharedArrayBuffer {
    return new SharedArrayBuffer(producers * 8);
  }

  get producers(): number {
    return this.words.length;
  }

  record(producerId: number, keyIndex: number, seq: number): void {
    Atomics.store(this.words, producerId, (BigInt(keyIndex + 1) << 32n) | BigInt(seq));
  }

  /** Null until the producer's first acknowledgement. */
  latest(producerId: number): { keyIndex: number; seq: number } | null {
    const word = Atomics.load(this.words, producerId);
    if (word === 0n) return null;
    return { keyIndex: Number(word >> 32n) - 1, seq: Number(word & 0xffffffffn) };
  }
}
