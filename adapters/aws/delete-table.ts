import { DeleteTableCommand, ResourceNotFoundException, waitUntilTableNotExists, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Deletes a DynamoDB table if it is there. On AWS a deleted table is DELETING for a while: this waits until it is gone. */
export async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return;
    throw error;
  }
  await waitUntilTableNotExists({ client, maxWaitTime: 120 }, { TableName: name });
}
