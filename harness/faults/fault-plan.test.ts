import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../errors/errors.js";
import { scenarioFileSchema } from "../scenario/scenario-schema.js";
import { FaultInjector } from "./fault-injector.js";
import { describeFault, resolveFaults, type FaultPlan } from "./fault-plan.js";

const entry = { totalS: 20, consumerGroups: 1, consumersPerGroup: 2 };
const at = (field: string) => `s.yaml: scenarios.x.${field}`;
const parse = (faults: unknown[]) => {
  const file = scenarioFileSchema.parse({ scenarios: { x: { executor: "constant-arrival-rate", rate: 10, duration: "20s", faults } } });
  return file.scenarios.x?.faults;
};

describe("fault plans", () => {
  it("resolves durations to seconds and fills the defaults", () => {
    const plans = resolveFaults(parse([{ kind: "pause-server", at: "5s", for: "2s" }, { kind: "kill-member", at: "10s" }, { kind: "restart-server", at: "15s" }]), entry, at);
    assert.deepEqual(plans, [
      { kind: "pause-server", atS: 5, forS: 2 },
      { kind: "kill-member", atS: 10, group: "group-1", member: "member-1", replaceAfterS: 0 },
      { kind: "restart-server", atS: 15, downS: 1 },
    ]);
  });

  it("refuses a fault outside the entry's load, overlapping faults and members that do not exist, naming the field", () => {
    assert.throws(() => resolveFaults(parse([{ kind: "pause-server", at: "25s", for: "1s" }]), entry, at), (e: Error) => e instanceof ConfigError && /faults\.0\.at/.test(e.message) && /20 s/.test(e.message));
    assert.throws(
      () => resolveFaults(parse([{ kind: "pause-server", at: "5s", for: "5s" }, { kind: "kill-member", at: "8s" }]), entry, at),
      (e: Error) => /faults\.1\.at/.test(e.message) && /overlap/.test(e.message),
    );
    assert.throws(() => resolveFaults(parse([{ kind: "kill-member", at: "5s", member: "member-3" }]), entry, at), (e: Error) => /faults\.0\.member/.test(e.message) && /member-1 … member-2/.test(e.message));
    assert.throws(() => parse([{ kind: "unplug-cable", at: "5s" }]));
  });

  it("says before any load why a server fault cannot run against a server", () => {
    const pause = resolveFaults(parse([{ kind: "pause-server", at: "5s", for: "1s" }]), entry, at);
    const restart = resolveFaults(parse([{ kind: "restart-server", at: "5s" }]), entry, at);
    assert.match(FaultInjector.unsupported(pause, undefined) ?? "", /in-process/);
    assert.match(FaultInjector.unsupported(pause, { unavailable: "external endpoint" }) ?? "", /external endpoint/);
    const dockerLike = { pause: async () => {}, resume: async () => {}, kill: async () => {}, restart: async () => {}, restartUnavailable: "a restarted container gets a new mapped port" };
    assert.equal(FaultInjector.unsupported(pause, dockerLike), null);
    assert.match(FaultInjector.unsupported(restart, dockerLike) ?? "", /new mapped port/);
    assert.equal(FaultInjector.unsupported(resolveFaults(parse([{ kind: "kill-member", at: "5s" }]), entry, at), undefined), null);
  });

  it("a broker kill names a member or a role, and needs a cluster that has it", () => {
    const byRole = resolveFaults(parse([{ kind: "kill-broker", at: "5s" }]), entry, at);
    assert.deepEqual(byRole, [{ kind: "kill-broker", atS: 5, broker: "leader", downS: 5 }]);
    const byNumber = resolveFaults(parse([{ kind: "kill-broker", at: "5s", broker: 2, down: "1s" }]), entry, at);
    const server = { pause: async () => {}, resume: async () => {}, kill: async () => {}, restart: async () => {} };
    assert.match(FaultInjector.unsupported(byRole, server) ?? "", /a cluster of brokers/);
    const members = { members: [1, 2, 3], roles: { leader: "the leader" }, holder: async () => 1, kill: async () => {}, restart: async () => {}, pause: async () => {}, resume: async () => {} };
    const cluster = { ...server, members };
    assert.equal(FaultInjector.unsupported(byRole, cluster), null);
    assert.equal(FaultInjector.unsupported(byNumber, cluster), null);
    assert.match(FaultInjector.unsupported(resolveFaults(parse([{ kind: "kill-broker", at: "5s", broker: 4 }]), entry, at), cluster) ?? "", /broker 4: expected a member 1, 2, 3 or a role leader/);
    assert.match(FaultInjector.unsupported(resolveFaults(parse([{ kind: "kill-broker", at: "5s", broker: "controller" }]), entry, at), cluster) ?? "", /"controller"/);
    assert.throws(() => parse([{ kind: "kill-broker", at: "5s", broker: 0 }]), "a member number is positive");
  });

  it("a broker pause names a member or a role, lasts `for`, and needs a cluster as a kill does", () => {
    const paused = resolveFaults(parse([{ kind: "pause-broker", at: "5s", for: "3s" }]), entry, at);
    assert.deepEqual(paused, [{ kind: "pause-broker", atS: 5, broker: "leader", forS: 3 }]);
    assert.equal(describeFault(paused[0] as FaultPlan), "pause the leader broker (SIGSTOP) for 3 s");
    const server = { pause: async () => {}, resume: async () => {}, kill: async () => {}, restart: async () => {} };
    assert.match(FaultInjector.unsupported(paused, server) ?? "", /^pause-broker needs a cluster of brokers/);
    const members = { members: [1, 2, 3], roles: { leader: "the leader" }, holder: async () => 1, kill: async () => {}, restart: async () => {}, pause: async () => {}, resume: async () => {} };
    assert.equal(FaultInjector.unsupported(paused, { ...server, members }), null);
    assert.match(FaultInjector.unsupported(resolveFaults(parse([{ kind: "pause-broker", at: "5s", broker: 7 }]), entry, at), { ...server, members }) ?? "", /^pause-broker: broker 7: expected a member 1, 2, 3/);
    assert.throws(() => resolveFaults(parse([{ kind: "pause-broker", at: "5s", for: "3s" }, { kind: "kill-broker", at: "7s" }]), entry, at), /overlap/);
  });
});
