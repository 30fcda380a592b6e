import assert from "node:assert/strict";
import { it } from "node:test";
import { tempDir } from "../../test/support/temp-dir.js";
import { containerRuntimeUnavailableReason } from "./docker/container-runtime.js";
import { EnvironmentSession } from "./environment-session.js";

/** These machines have no Docker engine: what can be checked is the probe and the fall-back. */
const dockerHere = (await containerRuntimeUnavailableReason()) === null;

it("the container-runtime probe answers within seconds", { skip: dockerHere && "a container runtime answers here" }, async () => {
  const started = Date.now();
  assert.match((await containerRuntimeUnavailableReason()) ?? "", /no container runtime/);
  assert.ok(Date.now() - started < 5_000);
});

it("--env docker without a container runtime falls back to native, and says so", { skip: dockerHere && "a container runtime answers here" }, async () => {
  const notes: string[] = [];
  const session = new EnvironmentSession({ choice: "docker", workDir: await tempDir("fallback"), serviceSettings: {}, note: (m) => notes.push(m) });
  try {
    const redis = await session.service("redis");
    assert.equal(redis.endpoint.provider, "native");
    assert.ok(notes.some((n) => /redis: the docker provider is not usable here \(no container runtime .*\); falling back to the native provider/.test(n)), notes.join("\n"));
  } finally {
    await session.stopAll();
  }
});

it("auto prefers an external endpoint when its variable is set", async () => {
  process.env.KAFKA_BROKERS = "broker-1.example:9092";
  try {
    const session = new EnvironmentSession({ choice: "auto", workDir: await tempDir("auto"), serviceSettings: {}, note: () => {} });
    const kafka = await session.service("kafka");
    assert.equal(kafka.endpoint.provider, "external");
    assert.equal(kafka.owned, false);
  } finally {
    delete process.env.KAFKA_BROKERS;
  }
});
