/**
 * The harness's own ceiling (`npm run bench:harness`): what it costs per event to measure, and how
 * many events/s it schedules, records and verifies on the in-process memory adapter, where no
 * system stands between the producers and the consumers. A run against a real system that comes
 * near these figures measures the harness, not the system: the best of them is saved in the cache
 * (harness-ceiling.json), and every later run on this machine reports its share of it. Not a test.
 *
 *   npm run bench:harness                 # RUNS=3 runs of each scenario, DURATION_S=10 measured seconds
 *   RUNS=5 DURATION_S=20 npm run bench:harness
 */
import type { DeliveredEvent, EventHandler, StreamAdapter } from "../adapters/contract/adapter.js";
import { AppendRecorder } from "../harness/load/append-recorder.js";
import { EventSource, type SourcedEvent } from "../harness/load/event-source.js";
import { DeliveryLog, GroupMember } from "../harness/load/group-member.js";
import { DeliveryVerifier } from "../harness/measurement/delivery-verifier.js";
import { IntervalRecorder } from "../harness/measurement/interval-recorder.js";
import { monotonicNowNs } from "../harness/measurement/monotonic-clock.js";
import type { RunEntryResult } from "../harness/result/result-schema.js";
import { saveHarnessCeiling, thisMachine } from "../harness/measurement/harness-ceiling.js";
import { median } from "../harness/measurement/sample-median.js";
import { envInt, runScenario } from "./cli-benchmark-run.js";
import { MIN_RUNS_FOR_DOCS, writeGeneratedBlock } from "./benchmarks-doc.js";

const RUNS = envInt("RUNS", 3);
const DURATION_S = envInt("DURATION_S", 10);
const BATCH = 100;
const EVENTS = 2_000_000;
const KEYS = 1000;

/** ns per event of `step`, which handles one batch of BATCH events; median of 5 passes over EVENTS events. */
function nsPerEvent(step: () => void): number {
  const passes: number[] = [];
  for (let pass = 0; pass < 6; pass++) {
    const start = monotonicNowNs();
    for (let i = 0; i < EVENTS / BATCH; i++) step();
    // The first pass is the JIT's warm-up.
    if (pass > 0) passes.push((monotonicNowNs() - start) / EVENTS);
  }
  return median(passes) as number;
}

/**
 * The per-event pieces, each through the harness's own code: making an event (key choice and
 * envelope), the producer's recording (schedule delay and publish latency), the consumer's
 * (envelope read, end-to-end latency, delivery log) and the coordinator's verification.
 */
function measurementCost() {
  const recorder = new IntervalRecorder();
  const source = new EventSource({ runTag: 7, producerId: 0, keys: KEYS, payloadSize: 256, chooseKey: (() => { let k = 0; return () => (k = (k + 1) % KEYS); })() });
  const batch: SourcedEvent[] = [];
  const make = () => {
    batch.length = 0;
    const now = monotonicNowNs();
    for (let k = 0; k < BATCH; k++) batch.push(...source.arrival(now));
  };
  const generate = nsPerEvent(make);

  const appends = new AppendRecorder(recorder, 0);
  make();
  const ack = { appended: BATCH, conflicts: [] };
  const produce = nsPerEvent(() => {
    const now = monotonicNowNs();
    appends.sent(batch, now - 1000);
    appends.acked(batch, now, ack);
  });

  let deliver: EventHandler = () => undefined;
  const adapter = {
    createConsumer: async (_s: unknown, _o: unknown, onEvents: EventHandler) => {
      deliver = onEvents;
      return { ack: async () => undefined, close: async () => undefined, kill: async () => undefined };
    },
  } as unknown as StreamAdapter;
  const log = new DeliveryLog();
  const member = new GroupMember(recorder, log, { group: "g", member: "m", runTag: 7, maxBatch: BATCH });
  void member.start(adapter, { name: "s", partitions: 1 });
  const delivered: DeliveredEvent[] = batch.map((e, i) => ({ key: e.event.key, payload: e.event.payload, position: String(i) }));
  let consumed = 0;
  const consume = nsPerEvent(() => {
    deliver(delivered);
    // The coordinator takes the log once a second; here every 10,000 events keeps it as small.
    if (++consumed % 100 === 0) log.take();
  });

  // Verification: a stream of in-order triples over KEYS keys, as a consumer thread hands them over.
  const verifier = new DeliveryVerifier(["g"]);
  const triples = new Uint32Array(BATCH * 3);
  let seq = 0;
  const verify = nsPerEvent(() => {
    for (let k = 0; k < BATCH; k++) {
      triples[3 * k + 1] = (seq + k) % KEYS;
      triples[3 * k + 2] = Math.floor((seq + k) / KEYS);
    }
    seq += BATCH;
    verifier.receivePacked("g", triples);
  });
  recorder.destroy();
  return { generate, produce, consume, verify };
}

interface CeilingScenario {
  readonly name: string;
  readonly threads: number;
  readonly load: Record<string, unknown>;
}

const scenarioFile = (s: CeilingScenario) => ({
  name: "harness-ceiling",
  adapterSettings: { memory: { retainHistory: false } },
  scenarios: {
    [s.name]: { workload: "publish-consume", ...s.load, duration: `${DURATION_S}s`, warmup: "3s", producers: s.threads, threads: { producers: s.threads }, batchSize: BATCH, keys: KEYS, payloadSize: 256 },
  },
});

const closedLoop = { executor: "constant-vus", vus: 64 };
const scenarios: CeilingScenario[] = [
  { name: "closed-1-thread", threads: 1, load: closedLoop },
  { name: "closed-2-threads", threads: 2, load: closedLoop },
  { name: "open-1M-2-threads", threads: 2, load: { executor: "constant-arrival-rate", rate: 1_000_000, maxVUs: 64 } },
];

const f = (v: number, digits = 0) => v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const cost = measurementCost();
const measured = cost.produce + cost.consume + cost.verify;
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${thisMachine()}: \`RUNS=${RUNS} DURATION_S=${DURATION_S} npm run bench:harness\`.`,
  "",
  `Measurement cost per event (one thread, batches of ${BATCH}, median of 5 passes over ${f(EVENTS)} events):`,
  "",
  "| step | ns/event |",
  "| --- | ---: |",
  `| make the event (key, 24-byte envelope, 256 B payload) | ${f(cost.generate, 1)} |`,
  `| producer: schedule delay + publish latency recorded | ${f(cost.produce, 1)} |`,
  `| consumer: envelope read, end-to-end latency, delivery log | ${f(cost.consume, 1)} |`,
  `| coordinator: exact delivery verification | ${f(cost.verify, 1)} |`,
  `| **measurement in all** (producer + consumer + verification) | **${f(measured, 1)}** |`,
  "",
];

const rows: string[] = [];
let best = { eventsPerSecond: 0, threads: 1 };
for (const s of scenarios) {
  const entries: RunEntryResult[] = [];
  for (let i = 1; i <= RUNS; i++) {
    process.stderr.write(`${s.name}: run ${i}/${RUNS}\n`);
    const [entry] = await runScenario({ scenario: scenarioFile(s), adapter: "memory", env: "native", timeoutMs: (DURATION_S + 120) * 1000 });
    if (!entry) throw new Error(`${s.name}: the run wrote no entry`);
    entries.push(entry);
  }
  const m = (pick: (e: RunEntryResult) => number) => median(entries.map(pick)) as number;
  const acked = m((e) => e.throughput.acked);
  const flagged = entries.filter((e) => e.harness.flagged).length;
  if (acked > best.eventsPerSecond) best = { eventsPerSecond: acked, threads: s.threads };
  rows.push(
    `| ${s.name} | ${s.threads} | ${f(acked)} | ${f(m((e) => e.throughput.consumed))} | ${f(acked / s.threads)} | ${f(m((e) => e.latency.publish.p50), 2)} / ${f(m((e) => e.latency.publish.p99), 1)} | ${f(m((e) => e.harness.eventLoopDelayMs.p99), 1)} | ${f(m((e) => e.harness.rssMiB?.end ?? 0))} | ${flagged}/${RUNS} |`,
  );
}
const table = [
  `On the memory adapter (retainHistory off, ${BATCH}-event batches, ${KEYS} keys, 256 B, ${DURATION_S} s measured after 3 s warm-up), medians of ${RUNS} runs; every event recorded and verified:`,
  "",
  "| scenario | producer threads | acked/s | consumed/s | acked/s per thread | publish p50 / p99 ms | event-loop p99 ms | RSS end MiB | flagged |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows,
];
const figures = [...lines, ...table].join("\n");
process.stdout.write(`${figures}\n`);
if (RUNS >= MIN_RUNS_FOR_DOCS) process.stdout.write(`\nwritten to ${await writeGeneratedBlock("bench:harness", figures)}\n`);
// Every later run on this machine says how close it came to this.
const saved = await saveHarnessCeiling({
  measuredAt: new Date().toISOString().slice(0, 10),
  machine: thisMachine(),
  eventsPerSecond: Math.round(best.eventsPerSecond),
  threads: best.threads,
  measurementNsPerEvent: Math.round(measured * 10) / 10,
});
process.stdout.write(`\nceiling ${f(best.eventsPerSecond)} events/s (${best.threads} thread(s)) saved to ${saved}: later runs here report their share of it\n`);
