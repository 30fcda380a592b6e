import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { emulatorProbeOptions } from "../aws/aws-client-options.js";

/**
 * Whether an SQS endpoint answers an API call (not merely accepts TCP): the readiness check of
 * every provider that starts ElasticMQ, which takes any credentials.
 */
export async function listQueuesAnswers(endpoint: string): Promise<boolean> {
  const client = new SQSClient(emulatorProbeOptions(endpoint));
  try {
    await client.send(new ListQueuesCommand({ MaxResults: 1 }));
    return true;
  } finally {
    client.destroy();
  }
}
