import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";

/**
 * Whether an SQS endpoint answers an API call (not merely accepts TCP): the readiness check of
 * every provider that starts ElasticMQ, which takes any credentials.
 */
export async function listQueuesAnswers(endpoint: string): Promise<boolean> {
  const client = new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "eventbench", secretAccessKey: "eventbench" },
    maxAttempts: 1,
    // A JVM still starting may hold a request past its timeout: that is a failed probe, not a warning on stderr.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
  try {
    await client.send(new ListQueuesCommand({ MaxResults: 1 }));
    return true;
  } finally {
    client.destroy();
  }
}
