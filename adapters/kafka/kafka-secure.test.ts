import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createCertificateAuthority } from "../../harness/environment/native/local-certificates.js";
import { runCli } from "../../test/support/run-cli.js";
import { tempDir } from "../../test/support/temp-dir.js";
import type { AdapterFactory, StreamAdapter } from "../contract/adapter.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { startNativeKafka, type NativeKafkaHandle } from "./kafka-native-broker.js";
import { kafkajsAdapterFactory } from "./kafkajs-adapter.js";
import { platformaticKafkaAdapterFactory } from "./platformatic-adapter.js";

/**
 * Kafka as a managed cluster is reached: a native broker with a SASL_SSL listener (SCRAM and PLAIN
 * users, a CA and certificate made with openssl at start) and a mutual-TLS one, both adapters
 * through client properties files, and the failures an operator meets first.
 */
let broker: Promise<NativeKafkaHandle> | undefined;
const secureBroker = () => (broker ??= tempDir("kafka-secure").then((workDir) => startNativeKafka({ workDir, settings: { security: "sasl-ssl" } })));
after(async () => {
  await (await broker)?.stop();
});

const FACTORIES = [platformaticKafkaAdapterFactory, kafkajsAdapterFactory];

/** A client properties file in a temporary folder, naming the broker's bootstrap servers (the SASL_SSL listeners unless told). */
async function clientFile(name: string, lines: readonly string[], bootstrap?: string): Promise<string> {
  const handle = await secureBroker();
  const file = join(await tempDir(`kafka-client-${name}`), `${name}.properties`);
  await writeFile(file, [`bootstrap.servers=${bootstrap ?? handle.endpoint.url}`, ...lines, ""].join("\n"));
  return file;
}

/** The endpoint the external provider makes of `file` (its bootstrap.servers, the SASL_SSL listeners unless told). */
async function endpointOf(file: string, bootstrap?: string) {
  const handle = await secureBroker();
  return { ...handle.endpoint, url: bootstrap ?? handle.endpoint.url, display: bootstrap ?? handle.endpoint.url, clientConfig: file };
}

/** Connects through `file`, creates a topic, produces one event and finds it on the broker. */
async function roundTrip(factory: AdapterFactory, file: string, bootstrap?: string): Promise<void> {
  const adapter: StreamAdapter = factory.create({ endpoint: await endpointOf(file, bootstrap) });
  const stream = { name: `secure-${factory.name}-${Date.now()}`, partitions: 1 };
  try {
    await adapter.connect();
    await adapter.setup(stream, ["g"]);
    const producer = await adapter.createProducer(stream);
    await producer.append([{ key: "k", payload: Buffer.from("over TLS") }]);
    await producer.close();
    assert.equal((await adapter.lag(stream, "g")).events, 1, "the event is on the broker, unconsumed");
    await adapter.teardown(stream);
  } finally {
    await adapter.close();
  }
}

const jaas = (module: "plain.PlainLoginModule" | "scram.ScramLoginModule", user: string, password: string) =>
  `sasl.jaas.config=org.apache.kafka.common.security.${module} required username="${user}" password="${password}";`;

for (const factory of FACTORIES) {
  describeAdapterContract({
    factory,
    start: async () => ({ endpoint: (await secureBroker()).endpoint, stop: async () => {} }),
    deliveryTimeoutMs: 20_000,
    partitions: 2,
  });
}

describe("SASL_SSL: every mechanism, in the Java client's and librdkafka's spellings", { timeout: 240_000 }, () => {
  const variants: [string, () => Promise<string[]>][] = [
    ["PLAIN (Confluent Cloud's)", async () => {
      const { user, ca } = (await secureBroker()).security!;
      return ["security.protocol=SASL_SSL", "sasl.mechanism=PLAIN", jaas("plain.PlainLoginModule", user.username, user.password), "ssl.truststore.type=PEM", `ssl.truststore.location=${ca.certFile}`];
    }],
    ["SCRAM-SHA-256, librdkafka's keys, the CA inline", async () => {
      const { user, ca } = (await secureBroker()).security!;
      const pem = (await readFile(ca.certFile, "utf8")).trim().split("\n").join(" \\\n  ");
      return ["security.protocol=sasl_ssl", "sasl.mechanisms=SCRAM-SHA-256", `sasl.username=${user.username}`, `sasl.password=${user.password}`, "ssl.truststore.type=PEM", `ssl.truststore.certificates=${pem}`];
    }],
  ];
  for (const [name, lines] of variants) {
    for (const factory of FACTORIES) {
      it(`${factory.name}: ${name} creates a topic, produces and reads its end offsets`, async () => {
        await roundTrip(factory, await clientFile(`${factory.name}-${name.split(" ")[0]}`, await lines()));
      });
    }
  }
});

describe("mutual TLS: the broker's SSL listener that requires a client certificate from its CA", { timeout: 240_000 }, () => {
  for (const factory of FACTORIES) {
    it(`${factory.name}: a PEM keystore file (key and chain in one), and librdkafka's certificate and key locations`, async () => {
      const handle = await secureBroker();
      const { ca, client } = handle.security!;
      const keystore = join(await tempDir("kafka-keystore"), "client-keystore.pem");
      await writeFile(keystore, `${await readFile(client.keyFile, "utf8")}${await readFile(client.certFile, "utf8")}`);
      const java = ["security.protocol=SSL", "ssl.keystore.type=PEM", `ssl.keystore.location=${keystore}`, "ssl.truststore.type=PEM", `ssl.truststore.location=${ca.certFile}`];
      await roundTrip(factory, await clientFile("mtls-java", java, handle.mutualTlsBootstrap), handle.mutualTlsBootstrap);
      const rdkafka = ["security.protocol=SSL", `ssl.ca.location=${ca.certFile}`, `ssl.certificate.location=${client.certFile}`, `ssl.key.location=${client.keyFile}`];
      await roundTrip(factory, await clientFile("mtls-rdkafka", rdkafka, handle.mutualTlsBootstrap), handle.mutualTlsBootstrap);
    });

    // @platformatic/kafka sees the broker's TLS alert only as "Connection closed"; kafkajs gets the alert.
    const says = factory === kafkajsAdapterFactory ? /authentication failed: the broker requires a client certificate/ : /Connection closed/;
    it(`${factory.name}: without a client certificate the connection is refused${factory === kafkajsAdapterFactory ? ", and says a client certificate is required" : ""}`, async () => {
      const handle = await secureBroker();
      const file = await clientFile("mtls-none", ["security.protocol=SSL", `ssl.ca.location=${handle.security!.ca.certFile}`], handle.mutualTlsBootstrap);
      const adapter = factory.create({ endpoint: await endpointOf(file, handle.mutualTlsBootstrap) });
      try {
        await assert.rejects(adapter.connect().then(() => adapter.info()), says);
      } finally {
        await adapter.close().catch(() => undefined);
      }
    });
  }
});

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("eventbench run --kafka-config against the SASL_SSL broker", { timeout: 300_000 }, () => {
  it("runs through the file, and the password reaches no output: stdout, stderr, log, result, reports", async () => {
    const { user, ca } = (await secureBroker()).security!;
    const file = await clientFile("cli-good", ["security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", jaas("scram.ScramLoginModule", user.username, user.password), "ssl.truststore.type=PEM", `ssl.truststore.location=${ca.certFile}`]);
    const out = await tempDir("kafka-secure-out");
    const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--kafka-config", file, "--adapter", "kafka,kafkajs", "--rate", "50", "--duration", "2s", "--warmup", "0s", "--out", out, "--run-id", "s"], {
      env: { KAFKA_BROKERS: "", KAFKA_CONFIG: "" },
      timeoutMs: 180_000,
    });
    assert.equal(outcome.code, 0, `${outcome.stdout}\n${outcome.stderr}`);
    const files = await filesUnder(join(out, "s"));
    assert.ok(files.some((f) => f.endsWith("result.json")) && files.some((f) => f.endsWith("report.html")) && files.some((f) => f.endsWith("eventbench.log")), files.join(", "));
    for (const text of [outcome.stdout, outcome.stderr, ...(await Promise.all(files.map((f) => readFile(f, "utf8"))))]) {
      assert.ok(!text.includes(user.password), "the password is in an output");
    }
    const result = JSON.parse(await readFile(join(out, "s", "result.json"), "utf8")) as { runs: { delivery: { lost: number; duplicates: number } }[] };
    assert.equal(result.runs.length, 2, "one entry per adapter");
    for (const run of result.runs) assert.equal(run.delivery.lost, 0);
  });

  for (const factory of FACTORIES) {
    it(`${factory.name}: a wrong password exits 3 within 20 s, naming the endpoint and "authentication failed", and prints no password`, async () => {
      const handle = await secureBroker();
      const { user, ca } = handle.security!;
      const wrong = "wrong-marker-pw-5150";
      const file = await clientFile("cli-wrong", ["security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", jaas("scram.ScramLoginModule", user.username, wrong), "ssl.truststore.type=PEM", `ssl.truststore.location=${ca.certFile}`]);
      const started = Date.now();
      const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", factory.name, "--duration", "1s", "--out", await tempDir("kafka-wrong")], { env: { KAFKA_CONFIG: file, KAFKA_BROKERS: "" }, timeoutMs: 60_000 });
      const printed = `${outcome.stdout}\n${outcome.stderr}`;
      assert.equal(outcome.code, 3, printed);
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
      assert.ok(printed.includes(handle.endpoint.url), `names the endpoint\n${printed}`);
      assert.match(printed, /authentication failed/);
      assert.ok(!printed.includes(wrong) && !printed.includes(user.password), "no password is printed");
      assert.doesNotMatch(printed, /\n\s+at /, "no stack trace");
    });

    it(`${factory.name}: a certificate from a CA the file does not trust exits 3 within 20 s, naming the endpoint and "certificate not trusted"`, async () => {
      const handle = await secureBroker();
      const { user } = handle.security!;
      const stranger = await createCertificateAuthority(await tempDir("kafka-stranger-ca"), "stranger");
      const file = await clientFile("cli-untrusted", ["security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", jaas("scram.ScramLoginModule", user.username, user.password), "ssl.truststore.type=PEM", `ssl.truststore.location=${stranger.certFile}`]);
      const started = Date.now();
      const outcome = await runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", factory.name, "--duration", "1s", "--kafka-config", file, "--out", await tempDir("kafka-untrusted")], { env: { KAFKA_BROKERS: "" }, timeoutMs: 60_000 });
      const printed = `${outcome.stdout}\n${outcome.stderr}`;
      assert.equal(outcome.code, 3, printed);
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
      assert.ok(printed.includes(handle.endpoint.url), `names the endpoint\n${printed}`);
      assert.match(printed, /certificate not trusted/);
      assert.ok(!printed.includes(user.password), "no password is printed");
    });
  }

  it("a file with a key eventbench does not understand exits 2 naming the key, before anything starts", async () => {
    const file = await clientFile("cli-unknown", ["security.protocol=SASL_SSL", "sasl.mechanism=PLAIN", "sasl.username=u", "sasl.password=unknown-key-pw-77", "client.dns.lookup=use_all_dns_ips"]);
    const outcome = await runCli(["run", "--env", "external", "--adapter", "kafka", "--kafka-config", file, "--out", await tempDir("kafka-unknown")], { timeoutMs: 30_000 });
    assert.equal(outcome.code, 2, `${outcome.stdout}\n${outcome.stderr}`);
    assert.match(outcome.stderr, /client\.dns\.lookup \(line 6\): unknown key/);
    assert.ok(!`${outcome.stdout}${outcome.stderr}`.includes("unknown-key-pw-77"));
  });
});
