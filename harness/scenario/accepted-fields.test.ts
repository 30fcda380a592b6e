import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../errors/errors.js";
import { validateScenario } from "./load-scenario.js";
import { resolvePlan, type RunFlags } from "./run-plan.js";

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
});
