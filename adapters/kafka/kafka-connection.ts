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
