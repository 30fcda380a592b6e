import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { awsClientOptions } from "../aws/aws-client-options.js";

export interface KinesisClients {
  readonly kinesis: KinesisClient;
  /** Where the consumer groups' lease tables are: DynamoDB, as the KCL keeps them. */
  readonly leases: DynamoDBClient;
  /** Real AWS rather than kinesalite or another emulator. */
  readonly isAws: boolean;
}

interface ClientLimits {
  readonly maxSockets: number;
  readonly requestTimeoutMs?: number;
}

/**
 * A Kinesis client over HTTP/1.1. The SDK's Kinesis client defaults to HTTP/2 (for
 * SubscribeToShard, which this adapter does not use); kinesalite speaks HTTP/1.1 only, and the
 * other AWS clients here use HTTP/1.1 with the same sockets and timeouts. Retries are off:
 * throttling is retried, and counted, by the adapter itself.
 */
export function kinesisClient(endpointUrl: string, limits: ClientLimits): { readonly client: KinesisClient; readonly isAws: boolean } {
  const { isAws, config } = awsClientOptions(endpointUrl, "kinesis", { maxSockets: limits.maxSockets, maxAttempts: 1, ...(limits.requestTimeoutMs ? { requestTimeoutMs: limits.requestTimeoutMs } : {}) });
  return { client: new KinesisClient({ ...config, endpoint: endpointUrl, requestHandler: new NodeHttpHandler(config.requestHandler) }), isAws };
}

/**
 * Clients for a Kinesis endpoint. On AWS the leases go to DynamoDB in the stream's region (where
 * the KCL keeps them) with the same credentials; elsewhere to the same endpoint, which answers
 * DynamoDB's API too (eventbench's kinesalite beside dynalite, LocalStack's edge port).
 */
export function kinesisClients(endpointUrl: string, limits: ClientLimits): KinesisClients {
  const { client, isAws } = kinesisClient(endpointUrl, limits);
  const { config } = awsClientOptions(endpointUrl, "kinesis", { maxSockets: limits.maxSockets, maxAttempts: 1 });
  return { kinesis: client, leases: new DynamoDBClient({ ...config, ...(isAws ? {} : { endpoint: endpointUrl }) }), isAws };
}
