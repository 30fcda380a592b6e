import assert from "node:assert/strict";
import { it } from "node:test";
import { runScenarioOn } from "../../test/support/run-scenario.js";

// ElasticMQ held about 19 events/s here with one event per SendMessageBatch (README.md): the
// faults run well below that, so what they show is the fault, not a server already behind.
const RATE = 10;

// One run, one ElasticMQ start (35 s was seen here) for both faults. `persist` keeps the queue and
// its messages in H2 through the restart: in memory, a restarted ElasticMQ has no queue at all.
// The restart's consumers start after producing (backlog-drain), so what the kill could have
// destroyed is still unread.
const SCENARIO = `services:
  sqs: { persist: true }
scenarios:
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
    backlog: 60
    faults:
      - { kind: restart-server, at: 3s, down: 1s }
`;

it("sqs on a real ElasticMQ: what a killed member held comes back after the visibility timeout, and a server killed with SIGKILL and started again on its H2 data loses no acknowledged message", { timeout: 300_000 }, async (t) => {
  const { entry } = await runScenarioOn("sqs", "sqs-faults", SCENARIO, 240_000);

  const kill = entry("kill");
  const killed = kill.faults?.[0];
  assert.ok(killed && killed.error === undefined, "the member was killed");
  assert.ok(killed.replacementFirstEventS !== null && killed.replacementFirstEventS !== undefined, "the replacement received events");
  assert.ok(kill.delivery.acked >= RATE * 5, `events were acknowledged (${kill.delivery.acked})`);
  assert.equal(kill.delivery.lost, 0);
  assert.equal(kill.delivery.consumed, kill.delivery.acked, "what the dead member held was received again by the others once its visibility timeout (claimIdleAfter, 1 s) ran out");

  t.diagnostic(`kill-member: ${kill.delivery.acked} acknowledged, ${kill.delivery.consumed} consumed, ${kill.delivery.redelivered} redelivered, ${kill.delivery.duplicated} duplicated`);

  const restart = entry("restart");
  const restarted = restart.faults?.[0];
  assert.ok(restarted && restarted.error === undefined, "the server was killed and restarted");
  assert.match(restarted.persistence.storage ?? "", /H2 database/, "the persistence in force is reported with the fault");
  assert.ok(restart.delivery.acked > RATE, `events were acknowledged before the kill (${restart.delivery.acked})`);
  // H2 with WRITE_DELAY=0 writes each message before SendMessageBatch answers: a killed process
  // leaves it with the operating system, so nothing acknowledged is lost.
  assert.equal(restarted.lost, 0, "nothing acknowledged is lost when only the process dies");
  assert.equal(restart.delivery.lost, 0);
  assert.ok(restart.delivery.consumed >= restart.delivery.acked, `every acknowledged event consumed after the restart (${restart.delivery.consumed} of ${restart.delivery.acked})`);
  assert.ok(restarted.firstConsumedAfterS !== null, "consumers received from the restarted server");
  t.diagnostic(`restart-server: down ${restarted.startedS}..${restarted.endedS} s, ${restart.delivery.acked} acknowledged, ${restart.delivery.consumed} consumed, ${restart.delivery.errors} append errors`);
});
