import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/** Each bad input is refused before anything starts: exit 2, naming what was wrong and what was expected. */
describe("bad input is rejected before anything starts", () => {
  const cases: { name: string; args: string[]; file?: string; expect: RegExp; code?: number }[] = [
    { name: "unknown adapter", args: ["--adapter", "rabbitmq"], expect: /unknown adapter "rabbitmq"; expected one of memory, redis-streams, kafka, kafkajs, dynamodb-streams/ },
    { name: "negative rate", args: ["--rate", "-5"], expect: /--rate expects a number above 0, got "-5"/ },
    { name: "rate that is not a number", args: ["--rate", "fast"], expect: /--rate expects a number above 0/ },
    { name: "bad duration", args: ["--duration", "10x"], expect: /--duration: "10x" is not a duration; expected e\.g\. 10s/ },
    { name: "unknown environment", args: ["--env", "cloud"], expect: /Allowed choices are auto, docker, native, external/ },
    { name: "--adapter naming nothing (it ran 0 entries and passed)", args: ["--adapter", ""], expect: /--adapter: names no adapter; expected one or more of memory/ },
    { name: "unknown flag", args: ["--ratee", "5"], expect: /unknown option '--ratee'/ },
    { name: "metrics port that is not a port", args: ["--metrics-port", "99999"], expect: /--metrics-port expects a TCP port \(1-65535\), got "99999"/ },
    { name: "missing scenario file", args: ["--scenario", "nope.yaml"], expect: /nope\.yaml: cannot read the scenario file \(ENOENT\)/ },
    {
      name: "a workload the scenario file does not have",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n",
      args: ["--workload", "cqrs"],
      expect: /--workload: .* has no scenario with workload "cqrs"; it has: publish-consume/,
    },
    {
      name: "scenario with an unknown field",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n    rtae: 5\n",
      args: [],
      expect: /invalid scenario file\n\s+scenarios\.s: unknown field\(s\) "rtae"/,
    },
    {
      name: "scenario with a wrong executor",
      file: "scenarios:\n  s:\n    executor: per-vu-iterations\n    duration: 1s\n",
      args: [],
      expect: /scenarios\.s\.executor: k6's per-vu-iterations is not taken: .*use constant-vus/,
    },
    {
      name: "scenario with an executor neither eventbench nor k6 has",
      file: "scenarios:\n  s:\n    executor: constant-rate\n    duration: 1s\n",
      args: [],
      expect: /scenarios\.s\.executor: expected one of constant-arrival-rate, ramping-arrival-rate, constant-vus/,
    },
    {
      name: "scenario with a bad threshold",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\nthresholds:\n  publish_latency: ['p99<25']\n  lag: ['max<1']\n",
      args: [],
      expect: /thresholds\.publish_latency\[0\]: "p99<25" is not a threshold; expected e\.g\. "p\(99\)<25"[\s\S]*thresholds\.lag: unknown metric; expected one of/,
    },
    {
      name: "scenario asking an aggregation a metric lacks",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n    thresholds:\n      lost: ['p(99)<1']\n",
      args: [],
      expect: /scenarios\.s\.thresholds\.lost\[0\]: lost has no p\(99\); expected count, rate/,
    },
    {
      name: "scenario with a bad duration and a payload smaller than the header",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: soon\n    payloadSize: 8\n",
      args: [],
      expect: /scenarios\.s\.duration: expected a duration such as "500ms"[\s\S]*scenarios\.s\.payloadSize: .*>=24/,
    },
    {
      name: "a scenario name with a terminal escape code",
      file: 'name: "x\\e[2Jy"\nscenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n',
      args: [],
      expect: /name: no control characters \(escape codes would act on the terminal\)/,
    },
    { name: "YAML that does not parse", file: "scenarios: [\n", args: [], expect: /not valid YAML/ },
    {
      name: "constant-arrival-rate without a duration",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n",
      args: [],
      expect: /scenarios\.s\.duration: constant-arrival-rate needs a duration/,
    },
    {
      name: "--rate on a closed-loop scenario",
      file: "scenarios:\n  s:\n    executor: constant-vus\n    vus: 2\n    duration: 1s\n",
      args: ["--rate", "100"],
      expect: /--rate: scenario "s" is closed-loop \(constant-vus\): it has no rate/,
    },
    {
      name: "unknown adapter setting",
      file: "adapterSettings:\n  redis-streams:\n    pipelining: 4\nscenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n",
      args: ["--adapter", "redis-streams"],
      expect: /adapter settings: redis-streams\.pipelining: unknown setting; expected maxLen/,
    },
    {
      name: "a workload needing a capability the named adapter lacks",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n    consumersPerGroup: 2\n",
      args: ["--adapter", "dynamodb-streams"],
      expect: /scenarios\.s: workload publish-consume as configured needs the capability consumerGroups, which adapter dynamodb-streams does not have/,
    },
    {
      name: "more producer threads than producers",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n    threads: { producers: 2 }\n",
      args: [],
      expect: /scenarios\.s\.threads\.producers: expected at most producers \(1\)/,
    },
    {
      name: "consumer threads for an in-process adapter",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n    consumersPerGroup: 2\n    threads: { consumers: 2 }\n",
      args: ["--adapter", "memory"],
      expect: /scenarios\.s: adapter memory: threads\.consumers: an in-process adapter runs its members beside its producers/,
    },
    {
      name: "a fault at a time after the entry's load",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 5s\n    faults:\n      - { kind: pause-server, at: 9s, for: 1s }\n",
      args: [],
      expect: /scenarios\.s\.faults\.0\.at: expected a time inside the entry's 5 s of load \(warm-up \+ duration\), got 9s/,
    },
    {
      name: "a server fault on an adapter without a server",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 5s\n    faults:\n      - { kind: restart-server, at: 2s }\n",
      args: ["--adapter", "memory"],
      expect: /scenarios\.s\.faults \(adapter memory\): restart-server needs a server, and this adapter has none/,
      code: 3,
    },
    // Sizes past what the machine holds: keys 1e9 crashed V8 (Redis left running), payloadSize 1e9
    // woke the OOM killer, a 50 MB file parsed for an hour (the YAML parser's duplicate-key check was quadratic).
    {
      name: "more keys than the harness can hold",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n    keys: 1000000000\n",
      args: [],
      expect: /scenarios\.s\.keys: 1,000,000,000 keys × 1 producer\(s\) need about [\d,]+ MiB of harness memory .*; this machine allows [\d,]+ MiB .*: at most [\d,]+ keys/,
    },
    {
      name: "a payload above 1 MiB",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 1s\n    payloadSize: 1000000000\n",
      args: [],
      expect: /scenarios\.s\.payloadSize: 1,000,000,000 bytes; at most 1,048,576 \(1 MiB\) an event/,
    },
    {
      name: "more appends in flight than the harness can hold",
      file: "scenarios:\n  s:\n    executor: constant-vus\n    vus: 100000000\n    duration: 1s\n",
      args: [],
      expect: /scenarios\.s\.vus: 100,000,000 appends in flight \(vus\) × 1 event\(s\) of 256 B hold about [\d,]+ MiB at once; this machine allows/,
    },
    {
      name: "more than 1000 scenarios in a file",
      file: `scenarios:\n${Array.from({ length: 1001 }, (_, i) => `  s${i}: { executor: constant-arrival-rate, rate: 10, duration: 1s }\n`).join("")}`,
      args: [],
      expect: /scenarios: 1,001 scenarios; a file holds at most 1,000/,
    },
    {
      name: "a scenario file above 256 KiB",
      file: `scenarios:\n  s: { executor: constant-arrival-rate, rate: 10, duration: 1s }\n${"# padding\n".repeat(30_000)}`,
      args: [],
      expect: /scenario\.yaml: the file is 294 KiB; a scenario file is at most 256 KiB/,
    },
    {
      name: "a key given twice in one mapping",
      file: "scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 10\n    rate: 20\n    duration: 1s\n",
      args: [],
      expect: /scenario\.yaml: not valid YAML: Map keys must be unique: "rate" is given twice \(again at line 5, column 5\)/,
    },
    {
      name: "--env external without the endpoint variable",
      args: ["--env", "external", "--adapter", "redis-streams"],
      expect: /adapter redis-streams cannot run here: external provider: REDIS_URL is not set/,
      code: 3,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const args = ["run", ...c.args, "--out", await tempDir("bad")];
      if (c.file !== undefined) {
        const path = join(await tempDir("scn"), "scenario.yaml");
        await writeFile(path, c.file);
        args.push("--scenario", path);
      }
      const outcome = await runCli(args, { env: { REDIS_URL: "" }, timeoutMs: 30_000 });
      assert.equal(outcome.code, c.code ?? 2, `exit code\n${outcome.stderr}`);
      assert.match(outcome.stderr, c.expect);
      assert.doesNotMatch(outcome.stdout, /result:/, "nothing ran");
    });
  }
});
