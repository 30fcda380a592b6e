/**
 * How an event travels as an SQS message: the payload base64 in the body (a body holds text
 * only), the aggregate id in a message attribute (a FIFO queue's message group is the same key).
 */
export const KEY_ATTRIBUTE = "aggregate";

export const bodyOf = (payload: Uint8Array): string => Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("base64");

export const payloadOf = (body: string | undefined): Uint8Array => new Uint8Array(Buffer.from(body ?? "", "base64"));
