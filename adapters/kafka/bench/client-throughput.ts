/**
 * Is the Node Kafka client the bottleneck? Produces 1 KiB records with acks=all, in batches of
 * BATCH with IN_FLIGHT batches outstanding, for SECONDS, through kafkajs and @platformatic/kafka in
 * turn against the same broker, and prints records/s. Not a test: run it by hand.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 node dist/adapters/kafka/bench/client-throughput.js
 */
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { Producer as PlatformaticProducer, ProduceAcks, stringSerializers } from "@platformatic/kafka";

const BROKERS = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const TOPIC = process.env.TOPIC ?? "perf-1kib";
const BATCH = Number(process.env.BATCH ?? 500);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 8);
const SECONDS = Number(process.env.SECONDS ?? 10);
const value = "x".repeat(1024);

async function drive(name: string, sendBatch: (keys: string[]) => Promise<void>): Promise<void> {
  let sent = 0;
  const end = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const keys = Array.from({ length: BATCH }, (_, i) => `k${(sent + i) % 1000}`);
      await sendBatch(keys);
      sent += BATCH;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  const rate = sent / ((performance.now() - started) / 1000);
  process.stdout.write(`${name}: ${Math.round(rate)} records/s (1 KiB, acks=all, batches of ${BATCH}, ${IN_FLIGHT} in flight, ${SECONDS} s)\n`);
}

const kafkajs = new Kafka({ brokers: BROKERS, logLevel: logLevel.NOTHING }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
await kafkajs.connect();
await drive("kafkajs 2.2.4", async (keys) => {
  await kafkajs.send({ topic: TOPIC, acks: -1, messages: keys.map((key) => ({ key, value })) });
});
await kafkajs.disconnect();

const platformatic = new PlatformaticProducer({ clientId: "eventbench-bench", bootstrapBrokers: BROKERS, serializers: stringSerializers });
await drive("@platformatic/kafka 1.35.0", async (keys) => {
  await platformatic.send({ acks: ProduceAcks.ALL, messages: keys.map((key) => ({ topic: TOPIC, key, value })) });
});
await platformatic.close();
