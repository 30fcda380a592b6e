/**
 * Which Node AMQP client publishes with confirms faster here? Starts eventbench's own RabbitMQ
 * (native, in a temporary folder), then through `amqplib` and through `rabbitmq-client` in turn
 * (ROUNDS times each, alternating) keeps IN_FLIGHT publishes of one 256-byte persistent message
 * outstanding on one confirm channel, each awaiting its own confirm, to a fan-out exchange bound
 * to a quorum queue (what the rabbitmq-quorum adapter does), for SECONDS, and prints events/s and
 * the confirm latency's p50 / p99. Not a test: run it by hand.
 *
 *   node dist/adapters/rabbitmq/bench/client-publish.js
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "amqplib";
import { Connection } from "rabbitmq-client";
import { startNativeRabbitmq } from "../rabbitmq-native-server.js";

const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 64);
const SECONDS = Number(process.env.SECONDS ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const payload = Buffer.alloc(256, 120);

type Publish = () => Promise<void>;

async function drive(name: string, publish: Publish): Promise<void> {
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      await publish();
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  const rate = latencies.length / ((performance.now() - started) / 1000);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies[Math.floor(latencies.length * q)] ?? 0).toFixed(2);
  process.stdout.write(`${name}: ${Math.round(rate)} events/s, confirm p50 ${at(0.5)} ms, p99 ${at(0.99)} ms (${IN_FLIGHT} in flight, ${SECONDS} s)\n`);
}

/** A fan-out exchange and a quorum queue bound to it, deleted after the round. */
async function withTarget(url: string, round: string, run: (exchange: string) => Promise<void>): Promise<void> {
  const admin = await connect(url);
  const channel = await admin.createChannel();
  const exchange = `client-publish-${round}`;
  await channel.assertExchange(exchange, "fanout", { durable: true });
  await channel.assertQueue(exchange, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await channel.bindQueue(exchange, exchange, "");
  try {
    await run(exchange);
  } finally {
    await channel.deleteQueue(exchange);
    await channel.deleteExchange(exchange);
    await admin.close();
  }
}

async function amqplibRound(url: string, round: string): Promise<void> {
  await withTarget(url, round, async (exchange) => {
    const connection = await connect(url);
    const channel = await connection.createConfirmChannel();
    await drive(
      "amqplib 2.3.1",
      () =>
        new Promise((resolve, reject) => {
          channel.publish(exchange, "k", payload, { persistent: true }, (error: unknown) => (error ? reject(new Error(String(error))) : resolve()));
        }),
    );
    await connection.close();
  });
}

async function rabbitmqClientRound(url: string, round: string): Promise<void> {
  await withTarget(url, round, async (exchange) => {
    const connection = new Connection(url);
    const publisher = connection.createPublisher({ confirm: true });
    await drive("rabbitmq-client 5.0.8", () => publisher.send({ exchange, routingKey: "k", durable: true }, payload));
    await publisher.close();
    await connection.close();
  });
}

const workDir = await mkdtemp(join(tmpdir(), "eventbench-rabbitmq-bench-"));
const server = await startNativeRabbitmq({ workDir });
try {
  for (let round = 0; round < ROUNDS; round++) {
    await amqplibRound(server.endpoint.url, `a${round}`);
    await rabbitmqClientRound(server.endpoint.url, `r${round}`);
  }
} finally {
  await server.stop();
  await rm(workDir, { recursive: true, force: true });
}
