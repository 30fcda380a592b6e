import type { AttributeValue } from "@aws-sdk/client-dynamodb";

/**
 * The event-store item: partition key = aggregate id, sort key = version, payload as Binary.
 * Short names, because every byte of an item counts against write units and the stream record.
 */
export const EVENT_ATTR = { aggregate: "pk", version: "sk", payload: "p" } as const;

export function eventItem(aggregate: string, version: number, payload: Uint8Array): Record<string, AttributeValue> {
  return {
    [EVENT_ATTR.aggregate]: { S: aggregate },
    [EVENT_ATTR.version]: { N: String(version) },
    [EVENT_ATTR.payload]: { B: payload },
  };
}
