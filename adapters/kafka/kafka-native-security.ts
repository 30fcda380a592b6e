import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addSecrets } from "../../harness/environment/known-secrets.js";
import { createCertificateAuthority, issueCertificate, type LocalCertificate, type LocalCertificateAuthority } from "../../harness/environment/native/local-certificates.js";

/** The listener name (and protocol) clients reach a secured native broker on. */
export const SECURE_LISTENER = "SASL_SSL";
/** A second listener, protocol SSL, that takes only clients with a certificate from the CA (mutual TLS). */
const MUTUAL_TLS_LISTENER = "MTLS";

/** A node's ports of the two secured listeners. */
export interface SecurePorts {
  readonly saslSsl: number;
  readonly mutualTls: number;
}

/** What a node's server.properties adds for them: listeners (for listeners= and advertised.listeners=), their protocols, the rest. */
export interface SecureListeners {
  readonly listeners: readonly string[];
  readonly protocolMap: readonly string[];
  readonly lines: readonly string[];
}

/** The user the native provider creates, with one password for each mechanism. */
export interface KafkaUser {
  readonly username: string;
  readonly password: string;
}

/**
 * What a native broker started with `services.kafka.security: sasl-ssl` is secured with: a CA and
 * a broker certificate made with openssl, a user with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN
 * credentials, a client certificate for the mutual-TLS listener, and a client properties file (SCRAM-SHA-512, the CA as PEM truststore) that the
 * adapters connect with. Keys and passwords live in a private temporary folder, not in the run
 * folder (which is kept and shared), and the password is known to the scrubber.
 */
export interface KafkaNativeSecurity {
  readonly ca: LocalCertificateAuthority;
  readonly user: KafkaUser;
  /** A certificate and key the CA issued, which the mutual-TLS listener accepts. */
  readonly client: LocalCertificate;
  /** The client properties file the endpoint names (Endpoint.clientConfig). */
  readonly clientConfigFile: string;
  listenersOf(ports: SecurePorts): SecureListeners;
  /** JVM arguments: the JAAS file holding the PLAIN user. */
  readonly jvmArgs: readonly string[];
  /** kafka-storage format arguments creating the SCRAM credentials (KRaft keeps them in the metadata log). */
  readonly formatArgs: readonly string[];
  /** Removes the folder of keys and passwords. */
  remove(): Promise<void>;
}

export async function prepareKafkaSecurity(): Promise<KafkaNativeSecurity> {
  const dir = await mkdtemp(join(tmpdir(), "eventbench-kafka-secrets-"));
  const ca = await createCertificateAuthority(dir, "eventbench-kafka");
  const server = await issueCertificate(ca, dir, "kafka-broker");
  const client = await issueCertificate(ca, dir, "kafka-client");
  // Kafka's PEM keystore: the private key and the certificate chain in one file.
  const keystore = join(dir, "broker-keystore.pem");
  await writeFile(keystore, `${await readFile(server.keyFile, "utf8")}${await readFile(server.certFile, "utf8")}`);
  // Hex: no character kafka-storage's --add-scram syntax ([name=…,password=…]) or JAAS quoting would read.
  const user: KafkaUser = { username: "eventbench", password: `eventbench-pw-${randomBytes(12).toString("hex")}` };
  addSecrets([user.password]);
  const jaasFile = join(dir, "broker-jaas.conf");
  await writeFile(
    jaasFile,
    [
      `${SECURE_LISTENER.toLowerCase()}.KafkaServer {`,
      `  org.apache.kafka.common.security.plain.PlainLoginModule required user_${user.username}="${user.password}";`,
      "  org.apache.kafka.common.security.scram.ScramLoginModule required;",
      "};",
      "",
    ].join("\n"),
  );
  const clientConfigFile = join(dir, "client.properties");
  await writeFile(
    clientConfigFile,
    [
      `security.protocol=${SECURE_LISTENER}`,
      "sasl.mechanism=SCRAM-SHA-512",
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${user.username}" password="${user.password}";`,
      "ssl.truststore.type=PEM",
      `ssl.truststore.location=${ca.certFile}`,
      "",
    ].join("\n"),
  );
  return {
    ca,
    user,
    client,
    clientConfigFile,
    listenersOf: (ports) => {
      const mtls = `listener.name.${MUTUAL_TLS_LISTENER.toLowerCase()}`;
      return {
        listeners: [`${SECURE_LISTENER}://127.0.0.1:${ports.saslSsl}`, `${MUTUAL_TLS_LISTENER}://127.0.0.1:${ports.mutualTls}`],
        protocolMap: [`${SECURE_LISTENER}:${SECURE_LISTENER}`, `${MUTUAL_TLS_LISTENER}:SSL`],
        lines: [
          "sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN",
          "ssl.keystore.type=PEM",
          `ssl.keystore.location=${keystore}`,
          `${mtls}.ssl.client.auth=required`,
          `${mtls}.ssl.truststore.type=PEM`,
          `${mtls}.ssl.truststore.location=${ca.certFile}`,
        ],
      };
    },
    jvmArgs: [`-Djava.security.auth.login.config=${jaasFile}`],
    formatArgs: ["SCRAM-SHA-256", "SCRAM-SHA-512"].flatMap((m) => ["--add-scram", `${m}=[name=${user.username},password=${user.password}]`]),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
