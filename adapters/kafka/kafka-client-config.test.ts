import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { forgetSecrets, scrubSecrets } from "../../harness/environment/known-secrets.js";
import { ConfigError } from "../../harness/errors/errors.js";
import { parseKafkaClientConfig, type KafkaClientConfig } from "./kafka-client-config.js";
import { kafkajsConnectionOptions, platformaticConnectionOptions } from "./kafka-connection.js";
import { parseJavaProperties } from "./java-properties.js";

afterEach(forgetSecrets);

/** A stand-in CA and key: the parser checks their PEM framing, not their cryptography. */
const CA = "-----BEGIN CERTIFICATE-----\nTUlJQ2ZEQ0NBV1NnQXdJQkFnSVVDQQ==\n-----END CERTIFICATE-----\n";
const CERT = "-----BEGIN CERTIFICATE-----\nQ0xJRU5UQ0VSVA==\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nUFJJVkFURUtFWW1hcmtlcg==\n-----END PRIVATE KEY-----\n";
const FILES: Readonly<Record<string, string>> = { "/ca.pem": CA, "/client.pem": `${KEY}${CERT}`, "/cert.pem": CERT, "/key.pem": KEY };
const readPem = (path: string) => {
  const text = FILES[path];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return text;
};
const parse = (text: string): KafkaClientConfig => parseKafkaClientConfig(text, "client.properties", readPem);
const refusal = (text: string): ConfigError => {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail(`expected the file to be refused:\n${text}`);
};

describe("Java properties", () => {
  it("reads = : and blank separators, comments, continuation lines and escapes; the last of a key given twice wins", () => {
    const entries = parseJavaProperties(["# comment", "! also", "a=1", "b: 2", "c 3", "  d = x\\", "     y", "e=tab\\tand\\u0041", "a=4", ""].join("\n"));
    assert.deepEqual(Object.fromEntries(entries.map((e) => [e.key, e.value])), { a: "4", b: "2", c: "3", d: "xy", e: "tab\tandA" });
    assert.equal(entries.find((e) => e.key === "d")?.line, 6);
  });
});

describe("Kafka client properties", () => {
  it("Confluent Cloud's file: SASL_SSL with PLAIN in a single-quoted JAAS line, the built-in CAs, SNI to host names", () => {
    const config = parse(
      [
        "bootstrap.servers=pkc-abc12.eu-west-1.aws.confluent.cloud:9092",
        "security.protocol=SASL_SSL",
        "sasl.mechanism=PLAIN",
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username='API-KEY-1' password='api+secret/1';",
      ].join("\n"),
    );
    assert.deepEqual(config.bootstrapServers, ["pkc-abc12.eu-west-1.aws.confluent.cloud:9092"]);
    assert.deepEqual(config.sasl, { mechanism: "PLAIN", username: "API-KEY-1", password: "api+secret/1" });
    assert.deepEqual(config.tls, { verifyHostname: true });
    const platformatic = platformaticConnectionOptions({ brokers: ["pkc-abc12.eu-west-1.aws.confluent.cloud:9092"], config });
    assert.deepEqual(platformatic.sasl, { mechanism: "PLAIN", username: "API-KEY-1", password: "api+secret/1" });
    assert.equal(platformatic.tlsServerName, true);
    const kafkajs = kafkajsConnectionOptions({ brokers: ["x:9092"], config });
    assert.deepEqual(kafkajs.sasl, { mechanism: "plain", username: "API-KEY-1", password: "api+secret/1" });
    assert.deepEqual(kafkajs.ssl, {});
    assert.equal(scrubSecrets("echo api+secret/1"), "echo ***", "the password is known to the scrubber");
  });

  it("SCRAM with a PEM truststore file, a JAAS line over several lines, and librdkafka's lower-case protocol", () => {
    const config = parse(
      [
        "security.protocol=sasl_ssl",
        "sasl.mechanism=SCRAM-SHA-512",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\",
        '    username="avnadmin" \\',
        '    password="scram-pw-\\\\\\"q";', // \\\" in the file: \" after the properties' escapes, " in JAAS
        "ssl.truststore.type=PEM",
        "ssl.truststore.location=/ca.pem",
      ].join("\n"),
    );
    assert.equal(config.securityProtocol, "SASL_SSL");
    assert.equal(config.bootstrapServers, undefined);
    assert.deepEqual(config.sasl, { mechanism: "SCRAM-SHA-512", username: "avnadmin", password: 'scram-pw-"q' });
    assert.equal(config.tls?.ca, CA);
    assert.equal(kafkajsConnectionOptions({ brokers: ["127.0.0.1:1"], config }).sasl?.mechanism, "scram-sha-512");
    assert.equal(platformaticConnectionOptions({ brokers: ["127.0.0.1:1"], config }).tlsServerName, false, "no SNI to an IP address");
  });

  it("mutual TLS from a PEM keystore file, or inline PEM written over continuation lines; the key is a secret", () => {
    const fromFile = parse(["security.protocol=SSL", "ssl.keystore.type=PEM", "ssl.keystore.location=/client.pem", "ssl.truststore.type=PEM", "ssl.truststore.location=/ca.pem"].join("\n"));
    assert.equal(fromFile.tls?.cert, CERT);
    assert.equal(fromFile.tls?.key, KEY);
    const inline = parse(
      [
        "security.protocol=SSL",
        "ssl.keystore.type=PEM",
        "ssl.keystore.certificate.chain=-----BEGIN CERTIFICATE----- \\",
        "  Q0xJRU5U \\",
        "  Q0VSVA== \\",
        "  -----END CERTIFICATE-----",
        "ssl.keystore.key=-----BEGIN PRIVATE KEY----- UFJJVkFURUtFWW1hcmtlcg== -----END PRIVATE KEY-----",
        "ssl.key.password=key-pass-7",
        "ssl.endpoint.identification.algorithm=",
      ].join("\n"),
    );
    assert.equal(inline.tls?.cert, CERT, "re-wrapped as OpenSSL reads PEM");
    assert.equal(inline.tls?.key, KEY);
    assert.equal(inline.tls?.keyPassword, "key-pass-7");
    assert.equal(inline.tls?.verifyHostname, false);
    const tls = platformaticConnectionOptions({ brokers: ["b:1"], config: inline }).tls;
    assert.equal(tls?.passphrase, "key-pass-7");
    assert.equal(typeof tls?.checkServerIdentity, "function", "host name not checked");
    assert.equal(scrubSecrets(`key ${KEY} pw key-pass-7`), "key *** pw ***");
  });

  it("librdkafka's spellings: sasl.username/sasl.password, sasl.mechanisms, ssl.ca.location, ssl.certificate.location, ssl.key.location", () => {
    const config = parse(
      [
        "bootstrap.servers=b1:9093, b2:9093",
        "security.protocol=SASL_SSL",
        "sasl.mechanisms=SCRAM-SHA-256",
        "sasl.username=alice",
        "sasl.password=rdkafka-pw-1",
        "ssl.ca.location=/ca.pem",
        "ssl.certificate.location=/cert.pem",
        "ssl.key.location=/key.pem",
      ].join("\n"),
    );
    assert.deepEqual(config.bootstrapServers, ["b1:9093", "b2:9093"]);
    assert.deepEqual(config.sasl, { mechanism: "SCRAM-SHA-256", username: "alice", password: "rdkafka-pw-1" });
    assert.deepEqual(config.tls, { ca: CA, cert: CERT, key: KEY, verifyHostname: true });
  });

  it("plain PLAINTEXT by default: no TLS, no SASL", () => {
    assert.deepEqual(parse("bootstrap.servers=127.0.0.1:9092\n"), { file: "client.properties", bootstrapServers: ["127.0.0.1:9092"], securityProtocol: "PLAINTEXT" });
  });

  it("refuses unknown keys by name, saying where settings such as acks go", () => {
    const e = refusal("bootstrap.servers=b:1\nacks=all\n");
    assert.equal(e.where, "client.properties: acks (line 2)");
    assert.match(e.problem, /unknown key; eventbench understands bootstrap\.servers, security\.protocol/);
    assert.match(e.problem, /adapterSettings/);
  });

  it("refuses what it cannot honour, naming the key and what was expected, and never the password", () => {
    const cases: [string, RegExp, RegExp][] = [
      ["security.protocol=SASL_SSL\nsasl.mechanism=OAUTHBEARER\n", /sasl\.mechanism/, /OAUTHBEARER is not supported yet/],
      ["security.protocol=SASL_SSL\nsasl.mechanism=AWS_MSK_IAM\n", /sasl\.mechanism/, /AWS MSK IAM is not supported yet/],
      ["security.protocol=SASL_SSL\n", /sasl\.mechanism/, /needs sasl\.mechanism/],
      ["security.protocol=TLS\n", /security\.protocol/, /expected PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got "TLS"/],
      ["security.protocol=SSL\nsasl.mechanism=PLAIN\nsasl.username=u\nsasl.password=hidden-pw-1\n", /security\.protocol/, /expected SASL_SSL or SASL_PLAINTEXT/],
      ["security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.username=u\nsasl.password=hidden-pw-1\nssl.ca.location=/ca.pem\n", /ssl\.ca\.location/, /expected SSL or SASL_SSL/],
      ["security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hidden-pw-1\";\n", /sasl\.jaas\.config/, /PLAIN needs org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule/],
      ["security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hidden-pw-1\"\n", /sasl\.jaas\.config/, /ending with ;/],
      ["security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.username=u\n", /sasl\.password/, /needs sasl\.jaas\.config, or sasl\.username and sasl\.password/],
      ["security.protocol=SSL\nssl.truststore.type=JKS\nssl.truststore.location=/ca.pem\n", /ssl\.truststore\.type/, /expected PEM/],
      ["security.protocol=SSL\nssl.truststore.location=/ca.pem\n", /ssl\.truststore\.location/, /needs ssl\.truststore\.type=PEM/],
      ["security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=/missing.pem\n", /ssl\.truststore\.location/, /cannot read "\/missing\.pem"/],
      ["security.protocol=SSL\nssl.ca.location=/key.pem\n", /ssl\.ca\.location/, /expected PEM certificates/],
      ["security.protocol=SSL\nssl.certificate.location=/cert.pem\n", /ssl\.certificate\.location/, /needs both the client's certificate and its private key/],
      ["security.protocol=SSL\nssl.ca.location=/ca.pem\nssl.truststore.type=PEM\nssl.truststore.certificates=x\n", /ssl\./, /given twice/],
      ["security.protocol=SSL\nssl.endpoint.identification.algorithm=dns\n", /ssl\.endpoint\.identification\.algorithm/, /expected https/],
      ["bootstrap.servers=no-port\n", /bootstrap\.servers/, /expected host:port/],
    ];
    for (const [text, where, problem] of cases) {
      const e = refusal(text);
      assert.match(e.where, where, text);
      assert.match(e.problem, problem, text);
      assert.ok(!e.message.includes("hidden-pw-1"), `the password is not quoted: ${e.message}`);
    }
  });
});
