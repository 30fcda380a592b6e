import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { Endpoint } from "../contract/adapter.js";
import type { DynamoDbSettings } from "./dynamodb-settings.js";

export interface DynamoDbClients {
  readonly tables: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  /** Real AWS rather than DynamoDB Local or another emulator. */
  readonly isAws: boolean;
}

/** A stopped or unreachable server must fail a call in seconds, not hang the run. */
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 10_000;
const CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"];

/**
 * Clients for a DynamoDB endpoint. DynamoDB Local serves both APIs on one endpoint and takes any
 * credentials; real AWS gets the SDK's own credential chain (the usual AWS_* variables, profiles,
 * instance roles; never logged) and its regional streams endpoint.
 */
export function dynamoDbClients(endpoint: Endpoint, settings: DynamoDbSettings): DynamoDbClients {
  const awsRegion = /dynamodb\.([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint.url)?.[1];
  const isAws = awsRegion !== undefined;
  const region = awsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
  const useCredentialChain = isAws || CREDENTIAL_VARIABLES.some((v) => process.env[v]);
  const common = {
    region,
    // Retries would hide latency: throttling is retried, and counted, by the adapter itself.
    maxAttempts: 1,
    requestHandler: {
      httpAgent: { maxSockets: settings.maxSockets, keepAlive: true },
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    },
    ...(useCredentialChain ? {} : { credentials: { accessKeyId: "eventbench", secretAccessKey: "eventbench" } }),
  };
  return {
    tables: new DynamoDBClient({ ...common, endpoint: endpoint.url }),
    streams: new DynamoDBStreamsClient({ ...common, ...(isAws ? {} : { endpoint: endpoint.url }) }),
    isAws,
  };
}
