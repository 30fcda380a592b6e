import { KinesisClient, ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { emulatorProbeOptions } from "../aws/aws-client-options.js";

/**
 * Whether a Kinesis endpoint answers an API call (not merely accepts TCP): the native start's
 * readiness check. Over HTTP/1.1, as `kinesisClient` says why.
 */
export async function listStreamsAnswers(endpoint: string): Promise<boolean> {
  const options = emulatorProbeOptions(endpoint);
  const client = new KinesisClient({ ...options, requestHandler: new NodeHttpHandler(options.requestHandler) });
  try {
    await client.send(new ListStreamsCommand({ Limit: 1 }));
    return true;
  } finally {
    client.destroy();
  }
}
