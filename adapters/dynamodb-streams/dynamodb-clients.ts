import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { awsClientOptions } from "../aws/aws-client-options.js";
import type { Endpoint } from "../contract/adapter.js";
import type { DynamoDbSettings } from "./dynamodb-settings.js";

export interface DynamoDbClients {
  readonly tables: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  /** Real AWS rather than DynamoDB Local or another emulator. */
  readonly isAws: boolean;
}

/**
 * Clients for a DynamoDB endpoint. DynamoDB Local serves both APIs on one endpoint and takes any
 * credentials; real AWS gets the SDK's credential chain and its regional streams endpoint.
 */
export function dynamoDbClients(endpoint: Endpoint, settings: DynamoDbSettings): DynamoDbClients {
  // Retries would hide latency: throttling is retried, and counted, by the adapter itself.
  const { isAws, config } = awsClientOptions(endpoint.url, "dynamodb", { maxSockets: settings.maxSockets, maxAttempts: 1 });
  return {
    tables: new DynamoDBClient({ ...config, endpoint: endpoint.url }),
    streams: new DynamoDBStreamsClient({ ...config, ...(isAws ? {} : { endpoint: endpoint.url }) }),
    isAws,
  };
}
