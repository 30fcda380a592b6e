/**
 * The DynamoDB Streams figures in docs/BENCHMARKS.md, through the harness itself: each run is
 * `eventbench run` on a scenario written here, against a fresh DynamoDB Local started by the native
 * provider, and one Markdown table row is printed from its result.json. Not a test: run it by hand
 * after `npm run build`.
 *
 *   MODE=rates   RATES=300,400,500 RUNS=3 node dist/adapters/dynamodb-streams/bench/rate-and-polling.js
 *   MODE=rates   RATES=2000,3000 WRITES=batch BATCH=25 node dist/adapters/dynamodb-streams/bench/rate-and-polling.js
 *   MODE=polling RATE=200 POLLS=10,50,100,250 RUNS=2 node dist/adapters/dynamodb-streams/bench/rate-and-polling.js
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const numbers = (list: string) => list.split(",").map(Number);

const MODE = env("MODE", "rates");
const RUNS = Number(env("RUNS", "1"));
const WRITES = env("WRITES", "conditional");
const BATCH = Number(env("BATCH", "1"));
const DURATION = env("DURATION", "20s");
const WARMUP = env("WARMUP", "10s");
/** DynamoDB Local is a JVM on the harness's cores: more appends in flight only queue inside it. */
const MAX_VUS = Number(env("MAX_VUS", "64"));

interface Figures {
  status: string;
  throughput: { acked: number; consumed: number };
  latency: { publish: { p50: number; p99: number }; endToEnd: { p50: number; p99: number } };
  delivery: { lost: number; duplicated: number; outOfOrder: number };
  harness: { flagged: boolean; warnings: string[] };
  adapterStats: Record<string, number>;
}

async function run(rate: number, pollIntervalMs: number): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), "eventbench-ddb-bench-"));
  const scenario = {
    name: "dynamodb-streams-bench",
    adapters: ["dynamodb-streams"],
    adapterSettings: { "dynamodb-streams": { pollIntervalMs, unversionedWrites: WRITES } },
    scenarios: {
      steady: {
        workload: "publish-consume",
        executor: "constant-arrival-rate",
        rate,
        duration: DURATION,
        warmup: WARMUP,
        maxVUs: MAX_VUS,
        batchSize: BATCH,
        consumerGroups: 1,
        consumersPerGroup: 1,
        keys: 100,
        payloadSize: 256,
      },
    },
  };
  const file = join(dir, "scenario.json");
  await writeFile(file, JSON.stringify(scenario));
  // Exit code 1 (a threshold or a flag) still wrote a result: it is part of the figures.
  await execFileAsync("node", ["bin/eventbench.js", "run", "--env", "native", "--scenario", file, "--out", dir, "--run-id", "run"]).catch((error: { code?: number }) => {
    if (error.code !== 1) throw error;
  });
  const result = JSON.parse(await readFile(join(dir, "run", "result.json"), "utf8")) as { runs: Figures[] };
  return result.runs[0] as Figures;
}

const ms = (v: number) => v.toFixed(1);

function row(label: string, f: Figures): string {
  const d = f.delivery;
  const stats = Object.entries(f.adapterStats).map(([k, v]) => `${k} ${v}`).join(", ") || "—";
  const flag = f.harness.flagged ? `flagged: ${f.harness.warnings.join("; ")}` : "no";
  return `| ${label} | ${Math.round(f.throughput.acked)} | ${ms(f.latency.publish.p50)} / ${ms(f.latency.publish.p99)} | ${ms(f.latency.endToEnd.p50)} / ${ms(f.latency.endToEnd.p99)} | ${d.lost}/${d.duplicated}/${d.outOfOrder} | ${f.status} | ${flag} | ${stats} |`;
}

process.stdout.write(`${MODE}: writes ${WRITES}, batch ${BATCH}, ${DURATION} after ${WARMUP} warm-up, maxVUs ${MAX_VUS}, ${RUNS} run(s) each\n`);
process.stdout.write("| target | acked/s | publish p50 / p99 ms | e2e p50 / p99 ms | lost/dup/ooo | status | harness flagged | adapter stats |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
if (MODE === "rates") {
  for (const rate of numbers(env("RATES", "300,400,500"))) {
    for (let i = 0; i < RUNS; i++) process.stdout.write(`${row(`${rate}/s`, await run(rate, Number(env("POLL", "100"))))}\n`);
  }
} else if (MODE === "polling") {
  const rate = Number(env("RATE", "200"));
  for (const poll of numbers(env("POLLS", "10,50,100,250"))) {
    for (let i = 0; i < RUNS; i++) process.stdout.write(`${row(`${rate}/s, poll ${poll} ms`, await run(rate, poll))}\n`);
  }
} else {
  throw new Error(`MODE must be rates or polling, not ${MODE}`);
}
