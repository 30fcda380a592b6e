import { SNSClient } from "@aws-sdk/client-sns";
import { awsClientOptions } from "../aws/aws-client-options.js";
import type { Endpoint } from "../contract/adapter.js";
import type { SqsReceiveSettings } from "../sqs/sqs-settings.js";

/** A client for an SNS endpoint (moto, or `https://sns.<region>.amazonaws.com` with the SDK's credential chain). */
export function snsClient(endpoint: Endpoint, settings: SqsReceiveSettings): { readonly client: SNSClient; readonly isAws: boolean } {
  const { isAws, config } = awsClientOptions(endpoint.url, "sns", { maxSockets: settings.maxSockets, maxAttempts: settings.maxAttempts });
  return { client: new SNSClient({ ...config, endpoint: endpoint.url }), isAws };
}
