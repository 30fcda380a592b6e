import { SQSClient } from "@aws-sdk/client-sqs";
import { awsClientOptions } from "../aws/aws-client-options.js";
import type { Endpoint } from "../contract/adapter.js";
import type { SqsReceiveSettings } from "./sqs-settings.js";

/**
 * A client for an SQS endpoint (ElasticMQ, or `https://sqs.<region>.amazonaws.com` with the SDK's
 * credential chain). Requests go to the endpoint, never to a queue URL's host: ElasticMQ's queue
 * URLs name the address it was told, which a proxy in front of it is not.
 */
export function sqsClient(endpoint: Endpoint, settings: SqsReceiveSettings): { readonly client: SQSClient; readonly isAws: boolean } {
  const { isAws, config } = awsClientOptions(endpoint.url, "sqs", {
    maxSockets: settings.maxSockets,
    maxAttempts: settings.maxAttempts,
    // A long poll is answered after up to waitTimeSeconds: the request may take that long.
    requestTimeoutMs: (settings.waitTimeSeconds + 10) * 1_000,
  });
  return { client: new SQSClient({ ...config, endpoint: endpoint.url, useQueueUrlAsEndpoint: false }), isAws };
}
