import assert from "node:assert/strict";
import { it } from "node:test";
import { runCli } from "./support/run-cli.js";

it("eventbench list labels the adapter whose client is unmaintained (kafkajs), and no other", async () => {
  const outcome = await runCli(["list"]);
  assert.equal(outcome.code, 0, outcome.stderr);
  const line = (adapter: string) => outcome.stdout.split("\n").find((l) => l.trim().startsWith(`${adapter} `)) ?? "";
  assert.match(line("kafkajs"), /UNMAINTAINED CLIENT: kafkajs: no release since 2\.2\.4/);
  for (const adapter of ["kafka", "redis-streams", "memory", "dynamodb-streams"]) {
    assert.ok(line(adapter), `list shows ${adapter}`);
    assert.doesNotMatch(line(adapter), /UNMAINTAINED/, adapter);
  }
});
