import { isIP } from "node:net";
import type { ConnectionOptions as TlsOptions } from "node:tls";
import type { SASLOptions as PlatformaticSasl } from "@platformatic/kafka";
import type { SASLOptions as KafkajsSasl } from "kafkajs";
import type { Endpoint } from "../contract/adapter.js";
import { loadKafkaClientConfig, type KafkaClientConfig, type KafkaTls } from "./kafka-client-config.js";

/**
 * How both Kafka adapters reach the brokers: the endpoint's bootstrap servers and, when the
 * endpoint names a client properties file (KAFKA_CONFIG), its TLS and SASL, mapped onto each
 * client's options from the one parsed file.
 */
export interface KafkaConnection {
  readonly brokers: string[];
  readonly config?: KafkaClientConfig;
}

export function kafkaConnection(endpoint: Endpoint): KafkaConnection {
  const config = endpoint.clientConfig === undefined ? undefined : loadKafkaClientConfig(endpoint.clientConfig);
  return { brokers: endpoint.url.split(",").map((b) => b.trim()), ...(config ? { config } : {}) };
}

function nodeTls(tls: KafkaTls): TlsOptions {
  return {
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    ...(tls.keyPassword !== undefined ? { passphrase: tls.keyPassword } : {}),
    // ssl.endpoint.identification.algorithm="": the chain is still verified, the name is not.
    ...(tls.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
  };
}

/** @platformatic/kafka's connection options (of its BaseOptions), shared by every client an adapter makes. */
export interface PlatformaticConnectionOptions {
  readonly bootstrapBrokers: string[];
  readonly tls?: TlsOptions;
  readonly tlsServerName?: boolean;
  readonly sasl?: PlatformaticSasl;
}

export function platformaticConnectionOptions(connection: KafkaConnection): PlatformaticConnectionOptions {
  const { tls, sasl } = connection.config ?? {};
  return {
    bootstrapBrokers: connection.brokers,
    // Node sends no SNI unless told; managed clusters route on it. Not for IP addresses (RFC 6066).
    ...(tls ? { tls: nodeTls(tls), tlsServerName: connection.brokers.every((b) => isIP(b.replace(/:\d+$/, "").replace(/^\[|\]$/g, "")) === 0) } : {}),
    ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } } : {}),
  };
}

/** kafkajs's KafkaConfig fields (brokers, ssl, sasl with lower-case mechanism names). It sends SNI for host names itself. */
export function kafkajsConnectionOptions(connection: KafkaConnection): { brokers: string[]; ssl?: TlsOptions; sasl?: KafkajsSasl } {
  const { tls, sasl } = connection.config ?? {};
  const mechanism = sasl?.mechanism.toLowerCase() as "plain" | "scram-sha-256" | "scram-sha-512" | undefined;
  return {
    brokers: connection.brokers,
    ...(tls ? { ssl: nodeTls(tls) } : {}),
    ...(sasl && mechanism ? { sasl: { mechanism, username: sasl.username, password: sasl.password } as KafkajsSasl } : {}),
  };
}

/** Node's verification errors for a chain that ends in no CA the client trusts. */
const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

type Failure = Error & { code?: string; errors?: unknown[]; originalError?: unknown };

/** The error and everything it wraps: causes, AggregateError's errors (@platformatic/kafka), kafkajs's originalError. */
function failuresIn(error: unknown, seen = new Set<unknown>()): Failure[] {
  if (!(error instanceof Error) || seen.has(error)) return [];
  seen.add(error);
  const e = error as Failure;
  return [e, ...[e.cause, e.originalError, ...(e.errors ?? [])].flatMap((inner) => failuresIn(inner, seen))];
}

/**
 * A failed first connection said in the words an operator looks for: "authentication failed"
 * (naming the mechanism and user, never the password) or "certificate not trusted" (naming what
 * the client trusts), with the client's own message; anything else is returned as it is. The
 * clients wrap these several times over (retries, one attempt per broker).
 */
export function explainConnectFailure(error: unknown, connection: KafkaConnection): unknown {
  const failures = failuresIn(error);
  const { tls, sasl, file } = connection.config ?? {};
  const untrusted = failures.find((f) => f.code !== undefined && UNTRUSTED.has(f.code));
  if (untrusted) {
    const trusted = tls?.ca ? `the CA certificates ${file} names` : "Node's built-in CA certificates";
    return new Error(`certificate not trusted: the broker's certificate chain ends in no CA among ${trusted} (${untrusted.code}: ${untrusted.message})`, { cause: error });
  }
  const expired = failures.find((f) => f.code === "CERT_HAS_EXPIRED");
  if (expired) return new Error(`certificate not trusted: the broker's certificate has expired (${expired.message})`, { cause: error });
  const wrongName = failures.find((f) => f.code === "ERR_TLS_CERT_ALTNAME_INVALID");
  if (wrongName) return new Error(`certificate not trusted: it does not name the host connected to (${wrongName.message}); ssl.endpoint.identification.algorithm= turns the check off`, { cause: error });
  // TLS alert 42 (bad_certificate, what Java sends) or 116 (certificate_required): the broker wants a client certificate.
  const noClientCert = failures.find((f) => /CERTIFICATE_REQUIRED|BAD_CERTIFICATE|alert (bad certificate|certificate required)/i.test(`${f.code ?? ""} ${f.message}`));
  if (noClientCert) {
    const given = tls?.cert ? "it refused the one given" : "none is given (ssl.keystore.* or ssl.certificate.location and ssl.key.location)";
    return new Error(`authentication failed: the broker requires a client certificate from a CA it trusts (mutual TLS), and ${given} (${noClientCert.message.trim()})`, { cause: error });
  }
  const refused = failures.find((f) => /authentication failed|SASL_AUTHENTICATION_FAILED|invalid credentials/i.test(`${f.name} ${f.message}`));
  if (refused && sasl) {
    const detail = failures.map((f) => f.message).find((m) => /invalid credentials|authentication failed:/i.test(m)) ?? refused.message;
    return new Error(`authentication failed: SASL ${sasl.mechanism} as user ${JSON.stringify(sasl.username)} was refused (${detail})`, { cause: error });
  }
  return error;
}
