/** A stopped or unreachable server must fail a call in seconds, not hang the run. */
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 10_000;
const CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"];

export interface AwsClientOptions {
  /** Real AWS (`<service>.<region>.amazonaws.com`) rather than a local emulator. */
  readonly isAws: boolean;
  /** What every client of this endpoint is built with (region, timeouts, sockets, credentials). */
  readonly config: {
    readonly region: string;
    readonly maxAttempts: number;
    readonly requestHandler: {
      readonly httpAgent: { readonly maxSockets: number; readonly keepAlive: true };
      readonly connectionTimeout: number;
      readonly requestTimeout: number;
    };
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
}

/**
 * The AWS SDK client options for an endpoint of `service` (its host name's first label: `sqs`,
 * `dynamodb`). An emulator takes any credentials; real AWS, or an environment that names
 * credentials, gets the SDK's own credential chain (the usual AWS_* variables, profiles, instance
 * roles; never logged) and the endpoint's region.
 */
export function awsClientOptions(endpointUrl: string, service: string, o: { readonly maxSockets: number; readonly maxAttempts: number; readonly requestTimeoutMs?: number }): AwsClientOptions {
  const awsRegion = new RegExp(`${service}\\.([a-z0-9-]+)\\.amazonaws\\.com`).exec(endpointUrl)?.[1];
  const isAws = awsRegion !== undefined;
  const useCredentialChain = isAws || CREDENTIAL_VARIABLES.some((v) => process.env[v]);
  return {
    isAws,
    config: {
      region: awsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
      maxAttempts: o.maxAttempts,
      requestHandler: {
        httpAgent: { maxSockets: o.maxSockets, keepAlive: true },
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: o.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      },
      ...(useCredentialChain ? {} : { credentials: { accessKeyId: "eventbench", secretAccessKey: "eventbench" } }),
    },
  };
}

/**
 * A readiness probe's client options for an emulator eventbench started (ElasticMQ, moto): any
 * credentials, one attempt, short timeouts. A server still starting may hold a request past its
 * timeout: that is a failed probe (an error), not a warning on stderr.
 */
export function emulatorProbeOptions(endpoint: string) {
  return {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "eventbench", secretAccessKey: "eventbench" },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  };
}
