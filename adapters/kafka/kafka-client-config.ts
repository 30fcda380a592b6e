import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { addSecrets } from "../../harness/environment/known-secrets.js";
import { ConfigError } from "../../harness/errors/errors.js";
import { parseJaasLogin } from "./jaas-config.js";
import { parseJavaProperties, type PropertyEntry } from "./java-properties.js";

export type SecurityProtocol = "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";
export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

/** TLS as the client file asks for it, PEM texts already read from their files. */
export interface KafkaTls {
  /** CA certificates to trust instead of Node's built-in ones; absent: the built-in ones (public CAs). */
  readonly ca?: string;
  /** The client's certificate chain and key, for mutual TLS. */
  readonly cert?: string;
  readonly key?: string;
  readonly keyPassword?: string;
  /** Whether the broker's certificate must name the host connected to (ssl.endpoint.identification.algorithm=https, Kafka's default). */
  readonly verifyHostname: boolean;
}

/** A Kafka client properties file (KAFKA_CONFIG, --kafka-config), as both Kafka adapters connect with it. */
export interface KafkaClientConfig {
  readonly file: string;
  /** bootstrap.servers; absent: the endpoint comes from KAFKA_BROKERS or the provider. */
  readonly bootstrapServers?: readonly string[];
  readonly securityProtocol: SecurityProtocol;
  readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
  /** Present for SSL and SASL_SSL. */
  readonly tls?: KafkaTls;
}

const PROTOCOLS: readonly SecurityProtocol[] = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
const MECHANISMS: readonly SaslMechanism[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];
const NOT_YET: Readonly<Record<string, string>> = {
  OAUTHBEARER: "OAUTHBEARER is not supported yet",
  AWS_MSK_IAM: "AWS MSK IAM is not supported yet",
  GSSAPI: "GSSAPI (Kerberos) is not supported",
};
const LOGIN_MODULES: Readonly<Record<SaslMechanism, string>> = {
  PLAIN: "org.apache.kafka.common.security.plain.PlainLoginModule",
  "SCRAM-SHA-256": "org.apache.kafka.common.security.scram.ScramLoginModule",
  "SCRAM-SHA-512": "org.apache.kafka.common.security.scram.ScramLoginModule",
};

/**
 * Every key understood, the Java client's and librdkafka's spellings, with what it takes. Any
 * other key is refused by name: a setting silently ignored would connect differently from what
 * the file says (producer and consumer settings such as acks are the scenario's adapterSettings).
 */
const KEYS: Readonly<Record<string, string>> = {
  "bootstrap.servers": "host:port[,host:port…]",
  "security.protocol": PROTOCOLS.join(", "),
  "sasl.mechanism": MECHANISMS.join(", "),
  "sasl.mechanisms": `librdkafka's spelling of sasl.mechanism: ${MECHANISMS.join(", ")}`,
  "sasl.jaas.config": `${LOGIN_MODULES.PLAIN} or ${LOGIN_MODULES["SCRAM-SHA-256"]} required username="…" password="…";`,
  "sasl.username": "the SASL user (librdkafka)",
  "sasl.password": "the SASL password (librdkafka)",
  "ssl.truststore.type": "PEM",
  "ssl.truststore.location": "a PEM file of CA certificates",
  "ssl.truststore.certificates": "PEM CA certificates",
  "ssl.keystore.type": "PEM",
  "ssl.keystore.location": "a PEM file with the client's private key and certificate chain",
  "ssl.keystore.certificate.chain": "the client's PEM certificate chain",
  "ssl.keystore.key": "the client's PEM private key",
  "ssl.key.password": "the password of an encrypted private key",
  "ssl.endpoint.identification.algorithm": 'https (check the broker\'s host name, the default) or "" (do not)',
  "ssl.ca.location": "a PEM file of CA certificates (librdkafka)",
  "ssl.certificate.location": "the client's PEM certificate file (librdkafka)",
  "ssl.key.location": "the client's PEM private key file (librdkafka)",
};

const where = (file: string, e: PropertyEntry) => `${file}: ${e.key} (line ${e.line})`;

/** Reads and checks a client properties file; its passwords and keys join the secrets the run scrubs. */
export function loadKafkaClientConfig(file: string): KafkaClientConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, `cannot read the Kafka client properties file: ${(error as Error).message}`);
  }
  return parseKafkaClientConfig(text, file, (path) => readFileSync(resolve(path), "utf8"));
}

/**
 * The client settings `text` (a properties file) holds. `readPem` reads a `*.location` file
 * (relative paths from the current folder, as Kafka's tools take them). Secrets found are
 * registered with the scrubber before anything can fail, and no error quotes a secret's value.
 */
export function parseKafkaClientConfig(text: string, file: string, readPem: (path: string) => string): KafkaClientConfig {
  const entries = new Map(parseJavaProperties(text).map((e) => [e.key, e]));
  for (const e of entries.values()) {
    if (!(e.key in KEYS)) throw new ConfigError(where(file, e), `unknown key; eventbench understands ${Object.keys(KEYS).join(", ")} (producer and consumer settings go in the scenario's adapterSettings)`);
  }
  const get = (key: string) => entries.get(key);
  const value = (key: string) => get(key)?.value.trim();
  const fail = (key: string, problem: string): never => {
    const e = get(key);
    throw new ConfigError(e ? where(file, e) : `${file}: ${key}`, problem);
  };
  const read = (key: string): string | undefined => {
    const path = value(key);
    if (path === undefined) return undefined;
    try {
      return readPem(path);
    } catch (error) {
      return fail(key, `cannot read ${JSON.stringify(path)}: ${(error as Error).message}`);
    }
  };

  const sasl = saslOf(file, entries, fail);
  const protocolText = value("security.protocol")?.toUpperCase() ?? "PLAINTEXT";
  if (!PROTOCOLS.includes(protocolText as SecurityProtocol)) fail("security.protocol", `expected ${KEYS["security.protocol"]}, got ${JSON.stringify(protocolText)}`);
  const securityProtocol = protocolText as SecurityProtocol;
  const usesSasl = securityProtocol.startsWith("SASL_");
  const usesTls = securityProtocol.endsWith("SSL");
  if (sasl && !usesSasl) fail("security.protocol", `SASL credentials are given, but security.protocol is ${securityProtocol}; expected SASL_SSL or SASL_PLAINTEXT`);
  if (!sasl && usesSasl) fail("sasl.mechanism", `security.protocol ${securityProtocol} needs sasl.mechanism (${MECHANISMS.join(", ")}) and sasl.jaas.config (or sasl.username and sasl.password)`);
  const tlsKeys = [...entries.keys()].filter((k) => k.startsWith("ssl."));
  if (!usesTls && tlsKeys.length > 0) fail(tlsKeys[0] as string, `TLS settings are given, but security.protocol is ${securityProtocol}; expected SSL or SASL_SSL`);

  for (const key of ["ssl.truststore.type", "ssl.keystore.type"]) {
    const type = value(key);
    if (type !== undefined && type.toUpperCase() !== "PEM") {
      fail(key, `expected PEM (eventbench reads PEM only; keytool -exportcert -rfc writes a JKS or PKCS12 store's certificates as PEM), got ${JSON.stringify(type)}`);
    }
  }
  for (const [key, typeKey] of [["ssl.truststore.location", "ssl.truststore.type"], ["ssl.truststore.certificates", "ssl.truststore.type"], ["ssl.keystore.location", "ssl.keystore.type"], ["ssl.keystore.key", "ssl.keystore.type"], ["ssl.keystore.certificate.chain", "ssl.keystore.type"]] as const) {
    // Kafka's Java client reads a store as JKS unless told it is PEM: the file would not work with Kafka's tools.
    if (get(key) && !get(typeKey)) fail(key, `needs ${typeKey}=PEM beside it (Kafka's own tools read a store as JKS otherwise)`);
  }
  /** The one key of `keys` that is given (a `*.location` read from its file), with its text. */
  const one = (keys: readonly string[], what: string): { key: string; text: string } | undefined => {
    const given = keys.filter((k) => get(k));
    if (given.length > 1) fail(given[1] as string, `${what} is given twice, by ${given.join(" and ")}; expected one of them`);
    const key = given[0];
    if (key === undefined) return undefined;
    return { key, text: (key.endsWith(".location") ? read(key) : value(key)) as string };
  };
  const ca = one(["ssl.truststore.location", "ssl.truststore.certificates", "ssl.ca.location"], "the trusted CA certificates");
  const keystore = one(["ssl.keystore.location"], "the client's key and certificate");
  const key = keystore ?? one(["ssl.keystore.key", "ssl.key.location"], "the client's private key");
  const cert = keystore ?? one(["ssl.keystore.certificate.chain", "ssl.certificate.location"], "the client's certificate");
  const keyPassword = value("ssl.key.password");
  addSecrets([...(key ? [...pemBlocks(key.text, "PRIVATE KEY"), normalizePem(key.text, "PRIVATE KEY")] : []), ...(keyPassword ? [keyPassword] : [])]);
  if (ca && pemBlocks(ca.text, "CERTIFICATE").length === 0) fail(ca.key, "expected PEM certificates (-----BEGIN CERTIFICATE-----), found none");
  if (key && !cert) fail(key.key, "mutual TLS needs the client's certificate too (ssl.keystore.certificate.chain or ssl.certificate.location)");
  if (cert && !key) fail(cert.key, "mutual TLS needs both the client's certificate and its private key (ssl.keystore.key or ssl.key.location)");
  if (key && pemBlocks(key.text, "PRIVATE KEY").length === 0) fail(key.key, "expected a PEM private key (-----BEGIN PRIVATE KEY-----), found none");
  if (cert && pemBlocks(cert.text, "CERTIFICATE").length === 0) fail(cert.key, "expected a PEM certificate chain (-----BEGIN CERTIFICATE-----), found none");
  const identification = value("ssl.endpoint.identification.algorithm");
  if (identification !== undefined && !["https", "", "none"].includes(identification.toLowerCase())) {
    fail("ssl.endpoint.identification.algorithm", `expected ${KEYS["ssl.endpoint.identification.algorithm"]}, got ${JSON.stringify(identification)}`);
  }
  const bootstrap = value("bootstrap.servers");
  const bootstrapServers = bootstrap?.split(",").map((s) => s.trim()).filter(Boolean);
  if (bootstrapServers?.some((s) => !/^[^\s:]+:\d{1,5}$/.test(s.replace(/^\w+:\/\//, "")))) fail("bootstrap.servers", `expected ${KEYS["bootstrap.servers"]}, got ${JSON.stringify(bootstrap)}`);
  return {
    file,
    ...(bootstrapServers?.length ? { bootstrapServers: bootstrapServers.map((s) => s.replace(/^\w+:\/\//, "")) } : {}),
    securityProtocol,
    ...(sasl ? { sasl } : {}),
    ...(usesTls
      ? {
          tls: {
            ...(ca ? { ca: normalizePem(ca.text, "CERTIFICATE") } : {}),
            ...(cert ? { cert: normalizePem(cert.text, "CERTIFICATE") } : {}),
            ...(key ? { key: normalizePem(key.text, "PRIVATE KEY") } : {}),
            ...(keyPassword ? { keyPassword } : {}),
            verifyHostname: (identification ?? "https").toLowerCase() === "https",
          },
        }
      : {}),
  };
}

/** The SASL mechanism and credentials, from sasl.jaas.config or librdkafka's sasl.username/sasl.password. */
function saslOf(file: string, entries: ReadonlyMap<string, PropertyEntry>, fail: (key: string, problem: string) => never): KafkaClientConfig["sasl"] {
  const jaas = entries.get("sasl.jaas.config");
  const username = entries.get("sasl.username")?.value;
  const password = entries.get("sasl.password")?.value;
  if (password) addSecrets([password]);
  const mechanismKeys = ["sasl.mechanism", "sasl.mechanisms"].filter((k) => entries.has(k));
  if (mechanismKeys.length > 1) fail("sasl.mechanisms", "given beside sasl.mechanism; expected one of them");
  const mechanismKey = mechanismKeys[0];
  if (!mechanismKey && !jaas && username === undefined && password === undefined) return undefined;
  const mechanism = (mechanismKey ? entries.get(mechanismKey)?.value.trim().toUpperCase() : undefined) ?? "";
  if (NOT_YET[mechanism]) fail(mechanismKey as string, `${NOT_YET[mechanism]}; expected ${MECHANISMS.join(", ")}`);
  if (!MECHANISMS.includes(mechanism as SaslMechanism)) {
    fail(mechanismKey ?? "sasl.mechanism", mechanismKey ? `expected ${MECHANISMS.join(", ")}, got ${JSON.stringify(mechanism)}` : `missing; Kafka's default GSSAPI is not supported; expected ${MECHANISMS.join(", ")}`);
  }
  const m = mechanism as SaslMechanism;
  if (jaas) {
    if (username !== undefined || password !== undefined) fail("sasl.jaas.config", "given beside sasl.username/sasl.password; expected one way of naming the credentials");
    let login;
    try {
      login = parseJaasLogin(jaas.value);
    } catch (error) {
      return fail("sasl.jaas.config", (error as Error).message);
    }
    const secret = login.options.get("password");
    if (secret) addSecrets([secret]);
    if (login.loginModule !== LOGIN_MODULES[m]) fail("sasl.jaas.config", `sasl.mechanism ${m} needs ${LOGIN_MODULES[m]}, got ${login.loginModule}`);
    const unknown = [...login.options.keys()].find((k) => k !== "username" && k !== "password");
    if (unknown) fail("sasl.jaas.config", `unknown option ${unknown}; expected username and password`);
    const user = login.options.get("username");
    if (!user || !secret) fail("sasl.jaas.config", 'expected username="…" and password="…"');
    return { mechanism: m, username: user as string, password: secret as string };
  }
  if (!username || !password) fail(username ? "sasl.password" : "sasl.username", `sasl.mechanism ${m} needs sasl.jaas.config, or sasl.username and sasl.password`);
  return { mechanism: m, username: username as string, password: password as string };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The PEM blocks of `text` whose label ends with `kind` (CERTIFICATE, PRIVATE KEY). */
function pemBlocks(text: string, kind: string): string[] {
  return [...text.matchAll(PEM_BLOCK)].filter((m) => (m[1] as string).endsWith(kind)).map((m) => m[0]);
}

/**
 * PEM as Node's TLS takes it. A PEM written inline in a properties file arrives on one line (its
 * line breaks were continuations), which Kafka accepts and OpenSSL does not: each block of the
 * kind is written again with its base64 in 64-character lines.
 */
function normalizePem(text: string, kind: string): string {
  return [...text.matchAll(PEM_BLOCK)]
    .filter((m) => (m[1] as string).endsWith(kind))
    .map((m) => {
      const body = (m[2] as string).replace(/\s+/g, "");
      return `-----BEGIN ${m[1]}-----\n${(body.match(/.{1,64}/g) ?? []).join("\n")}\n-----END ${m[1]}-----\n`;
    })
    .join("");
}
