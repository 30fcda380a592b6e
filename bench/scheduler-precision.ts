/**
 * How precisely the open-loop producer keeps its schedule (`npm run bench:scheduler`): schedule
 * delay (intended → actual send) p50/p99 and the CPU the producer thread and its wake clock's
 * sleeper thread use, at 1,000, 5,000 and 20,000 events/s, publishing only (no consumers), on
 * the memory adapter and on redis-streams (a native redis-server the CLI starts per run). Publish
 * latency and service time are shown beside, so a reader sees how much of the latency is the
 * harness's own wait. Not a test.
 *
 *   npm run bench:scheduler               # RUNS=3 runs of each, DURATION_S=10 measured seconds
 *   RUNS=5 RATES=1000,20000 npm run bench:scheduler
 */
import { ConfigError } from "../harness/errors/errors.js";
import { thisMachine } from "../harness/measurement/harness-ceiling.js";
import { median } from "../harness/measurement/sample-median.js";
import type { RunEntryResult } from "../harness/result/result-schema.js";
import { MIN_RUNS_FOR_DOCS, writeGeneratedBlock } from "./benchmarks-doc.js";
import { envInt, runScenario } from "./cli-benchmark-run.js";

const RUNS = envInt("RUNS", 3);
const DURATION_S = envInt("DURATION_S", 10);
const RATES = (process.env.RATES ?? "1000,5000,20000").split(",").map((r) => {
  const rate = Number(r);
  if (!Number.isInteger(rate) || rate < 1) throw new ConfigError("RATES", `expected whole numbers above 0, comma-separated, got ${JSON.stringify(process.env.RATES)}`);
  return rate;
});
const ADAPTERS = ["memory", "redis-streams"] as const;

const scenarioFile = (rate: number) => ({
  name: "scheduler-precision",
  scenarios: {
    [`open-${rate}`]: {
      workload: "publish-consume",
      executor: "constant-arrival-rate",
      rate,
      duration: `${DURATION_S}s`,
      warmup: "2s",
      consumerGroups: 0,
      batchSize: 1,
      keys: 100,
      payloadSize: 256,
    },
  },
});

const f = (v: number, digits = 0) => v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const rows: string[] = [];
for (const adapter of ADAPTERS) {
  for (const rate of RATES) {
    const entries: RunEntryResult[] = [];
    for (let i = 1; i <= RUNS; i++) {
      process.stderr.write(`${adapter} ${rate}/s: run ${i}/${RUNS}\n`);
      const [entry] = await runScenario({ scenario: scenarioFile(rate), adapter, env: "native", timeoutMs: (DURATION_S + 120) * 1000 });
      if (!entry) throw new Error(`${adapter} ${rate}/s: the run wrote no entry`);
      entries.push(entry);
    }
    const m = (pick: (e: RunEntryResult) => number) => median(entries.map(pick)) as number;
    const cpu = (pick: (c: NonNullable<RunEntryResult["harness"]["producerCpu"]>) => number) => m((e) => (e.harness.producerCpu ? pick(e.harness.producerCpu) : Number.NaN));
    rows.push(
      `| ${adapter} | ${f(rate)} | ${f(m((e) => e.throughput.sent))} | ${f(m((e) => e.harness.scheduleDelay.p50), 3)} / ${f(m((e) => e.harness.scheduleDelay.p99), 3)} | ${f(m((e) => e.latency.publish.p50), 3)} / ${f(m((e) => e.latency.publish.p99), 3)} | ${f(m((e) => e.latency.service.p50), 3)} | ${f(cpu((c) => c.threads) * 100)} % | ${f(cpu((c) => c.wakeSleepers) * 100, 1)} % | ${entries.filter((e) => e.harness.flagged).length}/${RUNS} |`,
    );
  }
}

const figures = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${thisMachine()}: \`RUNS=${RUNS} DURATION_S=${DURATION_S} npm run bench:scheduler\`.`,
  "",
  `One producer, publishing only (no consumer group), one event per append, 256 B, ${DURATION_S} s measured after 2 s warm-up; medians of ${RUNS} runs. CPU is the share of one core (process.threadCpuUsage, steady state) used by the producer's thread (sending, acknowledgements and pacing; on redis-streams the client too) and by its wake clock's sleeper thread:`,
  "",
  "| adapter | target/s | sent/s | schedule delay p50 / p99 ms | publish p50 / p99 ms | service p50 ms | producer thread CPU | sleeper CPU | flagged |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows,
].join("\n");
process.stdout.write(`${figures}\n`);
if (RUNS >= MIN_RUNS_FOR_DOCS) process.stdout.write(`\nwritten to ${await writeGeneratedBlock("bench:scheduler", figures)}\n`);
