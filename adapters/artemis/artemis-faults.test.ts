import assert from "node:assert/strict";
import { it } from "node:test";
import { runScenarioOn } from "../../test/support/run-scenario.js";

const RATE = 300;

// One run, one broker start for the three faults. The restart's consumers start after producing
// (backlog-drain), so what the kill could have destroyed is still unread when the broker comes back.
const SCENARIO = `scenarios:
  pause:
    executor: constant-arrival-rate
    rate: ${RATE}
    duration: 8s
    faults:
      - { kind: pause-server, at: 3s, for: 2s }
  kill:
    executor: constant-arrival-rate
    rate: ${RATE}
    duration: 8s
    consumersPerGroup: 2
    faults:
      - { kind: kill-member, at: 3s }
  restart:
    workload: backlog-drain
    executor: constant-arrival-rate
    rate: ${RATE}
    backlog: 2000
    faults:
      - { kind: restart-server, at: 3s, down: 1s }
`;

it("artemis on a real broker: a paused broker shows in the publish p99, a killed member's messages go to the others, and a broker killed with SIGKILL loses no settled durable message", { timeout: 300_000 }, async (t) => {
  const { entry } = await runScenarioOn("artemis", "artemis-faults", SCENARIO, 240_000);

  const pause = entry("pause");
  const paused = pause.faults?.[0];
  assert.ok(paused, "the pause is in the result");
  // Sends due during the 2 s SIGSTOP of the JVM were settled only after it.
  assert.ok((paused.publishP99Ms.peak ?? 0) > 1500, `publish p99 peak ${paused.publishP99Ms.peak} ms`);
  assert.equal(pause.delivery.lost, 0);
  assert.equal(pause.delivery.errors, 0, "connections survived the pause (idle time-out 20 s)");

  const kill = entry("kill");
  const killed = kill.faults?.[0];
  assert.ok(killed && killed.error === undefined, "the member was killed");
  assert.ok(killed.replacementFirstEventS !== null && killed.replacementFirstEventS !== undefined, "the replacement received events");
  assert.equal(kill.delivery.lost, 0);
  assert.equal(kill.delivery.consumed, kill.delivery.acked, "the dead member's unsettled messages were delivered to the others");

  const restart = entry("restart");
  const restarted = restart.faults?.[0];
  assert.ok(restarted && restarted.error === undefined, "the broker was killed and restarted");
  assert.match(restarted.persistence.journal_datasync ?? "", /^true/, "the persistence in force is reported with the fault");
  assert.ok(restart.delivery.acked > RATE, `events were settled before the kill (${restart.delivery.acked})`);
  assert.equal(restarted.lost, 0, "durable messages are settled after the journal sync: nothing settled is lost");
  assert.equal(restart.delivery.lost, 0);
  assert.ok(restart.delivery.consumed >= restart.delivery.acked, `every settled event consumed after the restart (${restart.delivery.consumed} of ${restart.delivery.acked})`);
  assert.ok(restarted.firstConsumedAfterS !== null, "consumers reconnected to the restarted broker");
  t.diagnostic(`pause: publish p99 peak ${paused.publishP99Ms.peak} ms; kill-member: ${kill.delivery.redelivered} redelivered; restart: ${restart.delivery.acked} settled, ${restart.delivery.consumed} consumed, ${restart.delivery.errors} append errors`);
});
