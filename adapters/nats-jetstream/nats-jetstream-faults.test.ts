import assert from "node:assert/strict";
import { it } from "node:test";
import { runScenarioOn } from "../../test/support/run-scenario.js";

const RATE = 500;

// One run, one server for the three faults (about 45 s here). The restart's consumers start after
// producing (backlog-drain), so what the kill could have destroyed is still unread.
const SCENARIO = `scenarios:
  pause:
    executor: constant-arrival-rate
    rate: ${RATE}
    duration: 10s
    faults:
      - { kind: pause-server, at: 3s, for: 2s }
  kill:
    executor: constant-arrival-rate
    rate: ${RATE}
    duration: 8s
    consumersPerGroup: 2
    claimIdleAfter: 1s
    faults:
      - { kind: kill-member, at: 3s }
  restart:
    workload: backlog-drain
    executor: constant-arrival-rate
    rate: ${RATE}
    backlog: 3000
    faults:
      - { kind: restart-server, at: 3s, down: 1s }
`;

it("nats-jetstream on a real nats-server: a pause shows in the publish p99, a killed member's messages come back after AckWait, a server killed with SIGKILL loses no acknowledged message", { timeout: 300_000 }, async () => {
  const { entry } = await runScenarioOn("nats-jetstream", "nats-faults", SCENARIO, 240_000);

  const pause = entry("pause");
  const paused = pause.faults?.[0];
  assert.ok(paused && paused.error === undefined, "the server was paused");
  assert.ok(paused.endedS !== null && paused.startedS !== null && paused.endedS - paused.startedS >= 1.9, `paused about 2 s: ${paused.startedS}..${paused.endedS}`);
  // Publishes due during the pause waited for it: the worst second's p99 holds most of the 2 s.
  assert.ok((paused.publishP99Ms.peak ?? 0) > 1500, `publish p99 peak ${paused.publishP99Ms.peak} ms`);
  assert.ok(paused.latencyRecoveredS !== null, "latency came back after the pause");
  assert.equal(pause.delivery.lost, 0);
  assert.equal(pause.delivery.consumed, pause.delivery.acked);

  const kill = entry("kill");
  const killed = kill.faults?.[0];
  assert.ok(killed && killed.error === undefined, "the member was killed");
  assert.ok(killed.replacementFirstEventS !== null && killed.replacementFirstEventS !== undefined, "the replacement received events");
  assert.equal(kill.delivery.lost, 0);
  assert.equal(kill.delivery.consumed, kill.delivery.acked, "what the dead member held came back to the others after AckWait (claimIdleAfter)");

  const restart = entry("restart");
  const restarted = restart.faults?.[0];
  assert.ok(restarted && restarted.error === undefined, "the server was killed and restarted");
  assert.equal(restarted.persistence.sync_interval, "2m (server default)", "the persistence in force is reported with the fault");
  assert.ok(restart.delivery.acked > RATE, `events were acknowledged before the kill (${restart.delivery.acked})`);
  // A single server's file store writes each message to its block file before the PubAck (the
  // fsync waits for sync_interval): a killed process leaves it in the page cache, nothing is lost.
  assert.equal(restarted.lost, 0, "nothing acknowledged is lost when only the process dies");
  assert.equal(restart.delivery.lost, 0);
  assert.equal(restart.delivery.consumed, restart.delivery.acked, "every acknowledged event consumed after the restart");
  assert.ok(restarted.firstConsumedAfterS !== null, "consumers read from the restarted server");
});
