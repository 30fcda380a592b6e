/**
 * The harness's header inside every payload, so that adapters move opaque bytes and every system
 * is measured identically. Little-endian, 24 bytes, then padding up to the payload size:
 *
 *   0  u32  run tag (hash of the run id: events of another run on the same stream are foreign)
 *   4  u16  producer id
 *   6  u16  header version
 *   8  u32  key index (aggregate number)
 *  12  u32  sequence number of this event within (producer, key), from 0
 *  16  f64  intended send time, monotonic ns
 */
export const ENVELOPE_BYTES = 24;
const HEADER_VERSION = 1;

export interface Envelope {
  readonly runTag: number;
  readonly producerId: number;
  readonly keyIndex: number;
  readonly seq: number;
  readonly intendedNs: number;
}

export function encodeEnvelope(e: Envelope, payloadSize: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(payloadSize, ENVELOPE_BYTES));
  buf.writeUInt32LE(e.runTag, 0);
  buf.writeUInt16LE(e.producerId, 4);
  buf.writeUInt16LE(HEADER_VERSION, 6);
  buf.writeUInt32LE(e.keyIndex, 8);
  buf.writeUInt32LE(e.seq, 12);
  buf.writeDoubleLE(e.intendedNs, 16);
  // Padding is zeroed: compressing clients must not get an unrealistically random payload, nor a
  // leaked one from uninitialised memory.
  buf.fill(0, ENVELOPE_BYTES);
  return buf;
}

/** Null when the payload is not an eventbench envelope of this header version. */
export function decodeEnvelope(payload: Uint8Array): Envelope | null {
  if (payload.byteLength < ENVELOPE_BYTES) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (view.getUint16(6, true) !== HEADER_VERSION) return null;
  return {
    runTag: view.getUint32(0, true),
    producerId: view.getUint16(4, true),
    keyIndex: view.getUint32(8, true),
    seq: view.getUint32(12, true),
    intendedNs: view.getFloat64(16, true),
  };
}

/** FNV-1a: a stable 32-bit tag for a run id. */
export function runTagOf(runId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    hash ^= runId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
