import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";

/**
 * Whether a DynamoDB endpoint answers an API call (not merely accepts TCP): the readiness check of
 * every provider that starts DynamoDB Local. Dummy credentials: DynamoDB Local accepts any key id
 * made of letters and digits.
 */
export async function listTablesAnswers(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "eventbench", secretAccessKey: "eventbench" },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } finally {
    client.destroy();
  }
}
