import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { RunEntryResult } from "../../harness/result/result-schema.js";
import { readValidatedResult } from "../../test/support/result-validator.js";
import { runCli } from "../../test/support/run-cli.js";
import { tempDir } from "../../test/support/temp-dir.js";

const CLUSTER = "services:\n  kafka: { brokers: 3, replicationFactor: 3, minInsyncReplicas: 2 }\n";

/** Runs a scenario file on the kafka adapter with the native provider; the run folder and its only entry. */
async function runOnCluster(name: string, scenarios: string, adapter = "kafka") {
  const dir = await tempDir(`kafka-cluster-${name}`);
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, `${CLUSTER}adapterSettings:\n  ${adapter}: { acks: all }\nscenarios:\n${scenarios}`);
  const outcome = await runCli(["run", "--scenario", file, "--adapter", adapter, "--env", "native", "--out", dir, "--run-id", "r"], { timeoutMs: 400_000 });
  assert.equal(outcome.code, 0, `${outcome.stdout}\n${outcome.stderr}`);
  const runDir = join(dir, "r");
  const result = await readValidatedResult(runDir);
  return { runDir, result, entry: result.runs[0] as RunEntryResult };
}

/** The client ports of the nodes the run started, read from their server.properties. */
async function nodePorts(runDir: string): Promise<number[]> {
  const folders = (await readdir(runDir, { withFileTypes: true })).filter((e) => e.isDirectory() && /^kafka-\d+$/.test(e.name));
  return Promise.all(
    folders.map(async (f) => {
      const props = await readFile(join(runDir, f.name, "server.properties"), "utf8");
      return Number(/^listeners=PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/m.exec(props)?.[1]);
    }),
  );
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

async function assertNothingRunning(runDir: string): Promise<void> {
  const ports = await nodePorts(runDir);
  assert.equal(ports.length, 3, "one folder per node in the run folder");
  for (const port of ports) assert.ok(await refused(port), `node on :${port} is stopped`);
}

describe("native Kafka cluster: three replicated brokers", { timeout: 900_000 }, () => {
  it("a run with acks all on three brokers delivers every event once, in order, on topics replicated three ways, and leaves nothing running", async () => {
    const { runDir, result, entry } = await runOnCluster("replicated", "  replicated:\n    executor: constant-arrival-rate\n    rate: 200\n    duration: 4s\n    partitions: 3\n");
    const service = result.environment.services.find((s) => s.kind === "kafka");
    assert.deepEqual(service?.persistence, { brokers: "3", replicationFactor: "3", "min.insync.replicas": "2", "log.flush.interval.messages": "unset (OS page cache)" });
    assert.equal(service?.endpoint.split(",").length, 3, `three bootstrap addresses: ${service?.endpoint}`);
    const { delivery } = entry;
    assert.ok(delivery.acked >= 700, `acknowledged ${delivery.acked} of about 800`);
    assert.deepEqual([delivery.lost, delivery.duplicated, delivery.outOfOrder, delivery.errors], [0, 0, 0, 0]);
    assert.equal(delivery.consumed, delivery.acked);
    // The controller records each new partition with its replicas: the run's topic got three.
    const logs = await Promise.all((await readdir(runDir)).filter((f) => /^kafka-\d+\.log$/.test(f)).map((f) => readFile(join(runDir, f), "utf8")));
    const partitions = logs.join("\n").match(/Replayed PartitionRecord for new partition eventbench-r-\S+ .*?replicas=\[[^\]]*\]/g) ?? [];
    assert.equal(new Set(partitions.map((p) => /partition (\S+)/.exec(p)?.[1])).size, 3, `three partitions of the run's topic:\n${partitions.join("\n")}`);
    for (const p of partitions) assert.match(p, /replicas=\[\d+, \d+, \d+\]/);
    await assertNothingRunning(runDir);
  });

  // kafkajs: the kafka adapter's consumer did not consume again after a broker kill here (see the README).
  it("kill-broker kills the leader of partition 0 and starts it again; the run says when acknowledgements came back and what the kill cost", async () => {
    const { runDir, entry } = await runOnCluster(
      "leader-kill",
      "  leader-kill:\n    executor: constant-arrival-rate\n    rate: 100\n    duration: 10s\n    partitions: 3\n    faults:\n      - { kind: kill-broker, at: 3s, broker: leader, down: 3s }\n",
      "kafkajs",
    );
    const fault = entry.faults?.[0];
    assert.equal(fault?.error, undefined);
    assert.match(fault?.member ?? "", /^broker [123], leader \(/);
    assert.ok(fault?.endedS !== null && fault?.startedS !== null && (fault?.endedS ?? 0) - (fault?.startedS ?? 0) >= 3, `down at least 3 s: ${fault?.startedS}..${fault?.endedS}`);
    assert.ok(fault?.firstAckAfterS !== null, "appends were acknowledged again after the kill");
    assert.ok(fault?.roleTakenOverS !== undefined, "the election is part of the result (null when the member was back first)");
    assert.equal(fault?.persistence.acks, "all");
    assert.equal(fault?.lost, entry.delivery.lost, "every loss belongs to the fault");
    await assertNothingRunning(runDir);
  });
});
