import { ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { kinesisClient } from "./kinesis-clients.js";

/** Whether a Kinesis endpoint answers an API call (not merely accepts TCP): the native start's readiness check. */
export async function listStreamsAnswers(endpoint: string): Promise<boolean> {
  const client = kinesisClient(endpoint, { maxSockets: 1, requestTimeoutMs: 2_000 }).client;
  try {
    await client.send(new ListStreamsCommand({ Limit: 1 }));
    return true;
  } finally {
    client.destroy();
  }
}
