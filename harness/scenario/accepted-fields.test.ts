import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../errors/errors.js";
import { validateScenario } from "./load-scenario.js";
import { resolvePlan, workloadFor, type RunFlags } from "./run-plan.js";

const base = { executor: "constant-arrival-rate", rate: 10, duration: "1s" };

function plan(scenario: Record<string, unknown>, top: Record<string, unknown> = {}, flags: RunFlags = {}) {
  // A field set to undefined leaves the base's field out.
  const entry = Object.fromEntries(Object.entries({ ...base, ...scenario }).filter(([, v]) => v !== undefined));
  return resolvePlan(validateScenario({ ...top, scenarios: { s: entry } }, "x.yaml"), "x.yaml", flags);
}

const refused = (f: () => unknown, pattern: RegExp) => assert.throws(f, (e: unknown) => e instanceof ConfigError && pattern.test(e.message));

/** Every field a scenario file accepts is honoured, recorded, or refused by name: none is dropped. */
describe("every accepted field is honoured, recorded or refused", () => {
  it("preAllocatedVUs caps the appends in flight when maxVUs is absent, as k6's maxVUs defaults to it", () => {
    assert.equal(plan({ preAllocatedVUs: 20 }).workloads[0]?.maxInFlight, 20);
    assert.equal(plan({ preAllocatedVUs: 20, maxVUs: 50 }).workloads[0]?.maxInFlight, 50);
    assert.equal(plan({}).workloads[0]?.maxInFlight, 1024);
    assert.equal(plan({ executor: "ramping-arrival-rate", rate: undefined, duration: undefined, startRate: 5, stages: [{ target: 10, duration: "1s" }], preAllocatedVUs: 7 }).workloads[0]?.maxInFlight, 7);
    refused(() => plan({ preAllocatedVUs: 60, maxVUs: 50 }), /scenarios\.s\.preAllocatedVUs: expected at most maxVUs \(50\)/);
  });

  it("constant-vus takes k6's default of one VU", () => {
    assert.equal(plan({ executor: "constant-vus", rate: undefined }).workloads[0]?.vus, 1);
  });

  it("lingerMs without batching is refused: it would have nothing to wait for", () => {
    refused(() => plan({ lingerMs: 5 }), /scenarios\.s\.lingerMs: has no effect with batchSize 1/);
    assert.equal(plan({ lingerMs: 5, batchSize: 10 }).workloads[0]?.lingerMs, 5);
  });

  it("the file's description is kept in the plan (result.json and eventbench plan)", () => {
    assert.equal(plan({}, { description: "what this file is for" }).description, "what this file is for");
  });

  it("k6 executors and scenario fields eventbench does not take are refused by name, with what to use instead", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ executor: "shared-iterations", iterations: 100 }, /scenarios\.s\.executor: k6's shared-iterations is not taken: .*use constant-arrival-rate/],
      [{ executor: "per-vu-iterations" }, /scenarios\.s\.executor: k6's per-vu-iterations is not taken: .*use constant-vus/],
      [{ executor: "externally-controlled" }, /k6's externally-controlled is not taken: .*ramping-arrival-rate/],
      [{ executor: "ramping-vus", stages: [] }, /k6's ramping-vus is not taken: use ramping-arrival-rate/],
      [{ gracefulStop: "5s" }, /scenarios\.s\.gracefulStop: k6's gracefulStop is not taken: use drainTimeout/],
      [{ startTime: "10s" }, /scenarios\.s\.startTime: k6's startTime is not taken: entries run one after another/],
      [{ exec: "default" }, /scenarios\.s\.exec: k6's exec is not taken/],
      [{ tags: { a: "b" } }, /scenarios\.s\.tags: k6's tags is not taken/],
      [{ env: { A: "1" } }, /scenarios\.s\.env: k6's env is not taken: settings go in adapterSettings/],
    ];
    for (const [entry, pattern] of cases) refused(() => plan(entry), pattern);
  });

  it("k6's threshold object is taken without abortOnFail; abortOnFail and delayAbortEval are refused by name", () => {
    const p = plan({}, { thresholds: { publish_latency: [{ threshold: "p(99)<50" }, { threshold: "p(50)<5", abortOnFail: false }, "max<100"] } });
    assert.deepEqual(p.workloads[0]?.thresholds.map((t) => t.expression.source), ["p(99)<50", "p(50)<5", "max<100"]);
    refused(() => plan({}, { thresholds: { publish_latency: [{ threshold: "p(99)<50", abortOnFail: true }] } }), /thresholds\.publish_latency\[0\]\.abortOnFail: k6's abortOnFail is not taken: eventbench judges thresholds when the run ends/);
    refused(() => plan({ thresholds: { e2e_latency: [{ threshold: "p(99)<50", delayAbortEval: "10s" }] } }), /scenarios\.s\.thresholds\.e2e_latency\[0\]\.delayAbortEval: k6's delayAbortEval is not taken/);
    refused(() => plan({}, { thresholds: { publish_latency: [{ threshold: "p99<50" }] } }), /"p99<50" is not a threshold/);
  });

  it("rateScale runs the adapters it names at a share of every rate, the entry's own factor before the file's, and says so", () => {
    const p = plan({ rate: 300, rateScale: { other: 1 } }, { rateScale: { "slow-system": 0.5, other: 0.25 } });
    const w = p.workloads[0];
    assert.ok(w);
    assert.equal(w.targetRate, 300, "the entry as written");
    assert.equal(workloadFor(w, "slow-system").targetRate, 150);
    assert.deepEqual(workloadFor(w, "slow-system").stages, [{ from: 150, to: 150, durationS: 1 }]);
    assert.equal(workloadFor(w, "other"), w, "the entry's factor 1 undoes the file's");
    assert.equal(workloadFor(w, "memory"), w);
    assert.deepEqual(p.notes, ["scenarios.s: slow-system runs it at 0.5 × its rates (rateScale): target 150/s instead of 300/s"]);
  });

  it("rateScale follows a ramp's stages and a backlog's length; --rate replaces it; a closed-loop entry has no rate to scale", () => {
    const ramp = plan({ executor: "ramping-arrival-rate", rate: undefined, duration: undefined, startRate: 100, stages: [{ target: 400, duration: "2s" }] }, { rateScale: { x: 0.5 } }).workloads[0];
    assert.deepEqual(ramp && workloadFor(ramp, "x").stages, [{ from: 50, to: 200, durationS: 2 }]);
    const drain = plan({ workload: "backlog-drain", duration: undefined, rate: 300, backlog: 1500 }, { rateScale: { x: 0.5 } }).workloads[0];
    assert.ok(drain);
    assert.equal(drain.durationS, 5);
    assert.equal(workloadFor(drain, "x").durationS, 10, "the same backlog at half the rate takes twice as long to produce");
    const flagged = plan({}, { rateScale: { x: 0.5 } }, { rate: 40 });
    assert.equal(workloadFor(flagged.workloads[0] as NonNullable<(typeof flagged.workloads)[0]>, "x").targetRate, 40);
    assert.match(flagged.notes.join("\n"), /rateScale not applied: --rate 40\/s sets every adapter's rate/);
    refused(() => plan({ executor: "constant-vus", rate: undefined, rateScale: { x: 0.5 } }), /scenarios\.s\.rateScale: closed loop \(constant-vus\) has no rate to scale/);
    assert.deepEqual(plan({ executor: "constant-vus", rate: undefined }, { rateScale: { x: 0.5 } }).workloads[0]?.byAdapter, {}, "the file's factor leaves closed loop alone");
  });
});
