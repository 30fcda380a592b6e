import type { Endpoint } from "../contract/adapter.js";

/** The variable naming the SQS endpoint beside an external SNS_ENDPOINT (the `sqs` system's own variable). */
export const SQS_ENDPOINT_VARIABLE = "SQS_ENDPOINT";

/**
 * Where the group queues are, given the SNS endpoint the provider handed out. An external run
 * takes SQS_ENDPOINT when it is set; otherwise real AWS's SQS in the SNS endpoint's region, and
 * for an emulator the SNS endpoint itself (moto and LocalStack serve both on one port, and SNS
 * delivers only to its own emulator's queues). The native moto is always the same URL: an
 * SQS_ENDPOINT set for the `sqs` system's ElasticMQ must not split the two hops.
 */
export function sqsEndpointOf(sns: Endpoint, env: NodeJS.ProcessEnv = process.env): Endpoint {
  const named = sns.provider === "external" ? env[SQS_ENDPOINT_VARIABLE]?.trim() : undefined;
  if (named) return { ...sns, url: named, display: `${SQS_ENDPOINT_VARIABLE} (${new URL(named).host})` };
  const aws = /^https:\/\/sns\.([a-z0-9-]+)\.amazonaws\.com\/?$/.exec(sns.url);
  if (aws) {
    const url = `https://sqs.${aws[1]}.amazonaws.com`;
    return { ...sns, url, display: url };
  }
  return sns;
}
