import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT, runCli } from "./support/run-cli.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * Every `eventbench …` / `npm run …` command in the fenced code blocks of README.md and docs/*.md
 * runs as shown, shortened: `--duration 2s --warmup 0s` (2 s: a max-throughput step is judged on its seconds), the memory and redis-streams adapters
 * where the command names none, native servers, a results folder of the test's own; one naming a
 * Kafka or DynamoDB adapter is planned (PLANNED_ONLY), not run. A command that
 * cannot run here is listed in NOT_RUN with the reason; one that no rule knows fails the test, so a
 * new documented command is either run or listed.
 */

/** Commands (as extracted, before shortening) that a test cannot run, each with why. Keep it short and honest. */
const NOT_RUN: readonly [RegExp, string][] = [
  [/^npm test$/, "the whole suite (13+ minutes); CI runs it"],
  [/^npm ci$/, "installs the dependencies this test already runs on"],
  [/^npm run bench:noise\b/, "repeated runs for minutes by design; docs/BENCHMARKS.md has its figures"],
  [/--env external/, "needs a server eventbench did not start at the URL the doc gives; test/cli-external.test.ts runs that path"],
  [/faults\.yaml|FAULTS_WITHOUT_SLOW_NETWORK/, "faults fire at fixed times in the file's own length; test/faults.test.ts runs each fault"],
];

/**
 * Runs that are resolved with `eventbench plan` (the same flags and checks, nothing started) instead
 * of run: a Kafka or DynamoDB Local start takes 20-60 s here, beyond this test's budget (their
 * contract tests start them). A refusal such as `--adapter kafka` on the quickstart's event-store
 * entry (exit 2) is still caught.
 */
const PLANNED_ONLY = /--adapter (kafka|kafkajs|dynamodb-streams)\b/;

interface Documented {
  readonly page: string;
  readonly command: string;
}

const CODE_BLOCK = /```(\w*)\n([\s\S]*?)```/g;
const NOT_SHELL = new Set(["text", "yaml", "json", "ts", "promql", "js"]);

async function documentedCommands(): Promise<Documented[]> {
  const pages = ["README.md", ...(await readdir(join(REPO_ROOT, "docs"))).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const out: Documented[] = [];
  for (const page of pages) {
    const text = await readFile(join(REPO_ROOT, page), "utf8");
    for (const [, lang, body] of text.matchAll(CODE_BLOCK)) {
      if (NOT_SHELL.has(lang ?? "")) continue;
      for (const raw of (body ?? "").split("\n")) {
        const line = raw.replace(/\s+#.*$/, "").trim();
        // In a chain (`apt-get … && npm ci && npm run bench`) each eventbench/npm part is a command.
        for (const part of line.split("&&").map((p) => p.trim())) {
          const m = /(?:^|\s)((?:npx eventbench|node bin\/eventbench\.js|eventbench|npm run \S+|npm test|npm ci)\b.*)$/.exec(part);
          if (m?.[1]) out.push({ page, command: m[1].trim() });
        }
      }
    }
  }
  return out;
}

/** The CLI arguments a documented command stands for (`npm run bench -- X` is `eventbench run X`), or null for another npm script. */
function cliArgs(command: string): string[] | null {
  const words = command.split(/\s+/);
  if (words[0] === "npm" && words[1] === "run") {
    if (words[2] !== "bench") return null;
    return ["run", ...words.slice(words[3] === "--" ? 4 : 3)];
  }
  if (words[0] === "npx") return words.slice(2);
  if (words[0] === "node") return words.slice(2);
  return words.slice(1);
}

function withFlag(args: string[], flag: string, value: string): string[] {
  const i = args.indexOf(flag);
  if (i >= 0) return [...args.slice(0, i + 1), value, ...args.slice(i + 2)];
  return [...args, flag, value];
}

describe("every command the README and docs show runs as shown (shortened)", () => {
  it("each documented eventbench / npm run command exits as the docs say", async () => {
    const out = await tempDir("documented");
    const shortCi = join(out, "ci-short.yaml");
    await writeFile(shortCi, (await readFile(join(REPO_ROOT, "scenarios", "ci.yaml"), "utf8")).replace("duration: 20s", "duration: 1s").replace("warmup: 10s", "warmup: 0s"));
    const commands = await documentedCommands();
    assert.ok(commands.length >= 10, `found ${commands.length} commands`);
    let runDir: string | null = null;
    const ran: string[] = [];
    const failures: string[] = [];
    for (const { page, command } of commands) {
      if (NOT_RUN.some(([pattern]) => pattern.test(command))) continue;
      let args = cliArgs(command);
      if (args === null) {
        failures.push(`${page}: "${command}": an npm script this test has no rule for; run it here or list it in NOT_RUN`);
        continue;
      }
      // Placeholders: a rate, a scenario file, a run folder made by an earlier command.
      args = args.map((a) => (a === "RATE" ? "300" : a === "FILE" ? "scenarios/ci.yaml" : a));
      const sub = args[0];
      if (sub === "run" && PLANNED_ONLY.test(command)) {
        args = ["plan", ...args.slice(1)];
      } else if (sub === "run") {
        args = withFlag(withFlag(args, "--duration", "2s"), "--warmup", "0s");
        if (!args.includes("--adapter") && !args.includes("-a")) args = withFlag(args, "--adapter", "memory,redis-streams");
        args = withFlag(withFlag(args, "--env", "native"), "--out", out);
        args = withFlag(args, "--run-id", `r${ran.length}`);
      } else if (sub === "ci") {
        args = withFlag(withFlag(withFlag(withFlag(args, "--scenario", shortCi), "--adapter", "memory"), "--out", out), "--env", "native");
        args = withFlag(args, "--run-id", `r${ran.length}`);
        const update = args.indexOf("--update-baseline");
        if (update >= 0) args[update + 1] = join(out, "baseline.json");
        // The committed baseline is of the full-length ci scenario on every adapter: a 1 s memory
        // run would rightly differ from it. The path stands in for "a baseline that may be missing".
        const baseline = args.indexOf("--baseline");
        if (baseline >= 0) args[baseline + 1] = join(out, "no-baseline-yet.json");
      } else if (args.some((a) => a.includes("<"))) {
        if (!runDir) {
          failures.push(`${page}: "${command}" needs a run folder, and no documented run came before it`);
          continue;
        }
        const dir: string = runDir;
        args = args.map((a) => (a.includes("<") ? dir : a));
      }
      const outcome = await runCli(args, { timeoutMs: 120_000 });
      ran.push(`${page}: ${command}`);
      if (outcome.code !== 0) failures.push(`${page}: "${command}" ran as \`eventbench ${args.join(" ")}\` and exited ${outcome.code}, the docs show 0\n${outcome.stderr.slice(-800)}`);
      else if (sub === "run" && !runDir) runDir = join(out, `r${ran.length - 1}`);
    }
    assert.deepEqual(failures, [], failures.join("\n\n"));
    assert.ok(ran.length >= 5, `ran ${ran.length} commands:\n${ran.join("\n")}`);
  });
});
