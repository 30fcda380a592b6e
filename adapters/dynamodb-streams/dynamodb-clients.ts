import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { Endpoint } from "../contract/adapter.js";
import type { DynamoDbSettings } from "./dynamodb-settings.js";

export interface DynamoDbClients {
  readonly tables: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
}

/**
 * Clients for a DynamoDB endpoint. DynamoDB Local serves both APIs on one endpoint and takes any
 * credentials; real AWS gets the SDK's own credential chain (the usual AWS_* variables, never
 * logged) and its regional streams endpoint.
 */
export function dynamoDbClients(endpoint: Endpoint, settings: DynamoDbSettings): DynamoDbClients {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
  const isAws = /\.amazonaws\.com/.test(endpoint.url);
  const hasCredentials = Boolean(process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE);
  const common = {
    region,
    // Retries would hide latency: throttling is retried, and counted, by the adapter itself.
    maxAttempts: 1,
    requestHandler: { httpAgent: { maxSockets: settings.maxSockets, keepAlive: true } },
    ...(hasCredentials ? {} : { credentials: { accessKeyId: "eventbench", secretAccessKey: "eventbench" } }),
  };
  return {
    tables: new DynamoDBClient({ ...common, endpoint: endpoint.url }),
    streams: new DynamoDBStreamsClient({ ...common, ...(isAws ? {} : { endpoint: endpoint.url }) }),
  };
}
