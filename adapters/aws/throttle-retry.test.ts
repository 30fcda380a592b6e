import assert from "node:assert/strict";
import { it } from "node:test";
import { withThrottleRetries } from "./throttle-retry.js";

const throttled = () => Object.assign(new Error("slow down"), { name: "ProvisionedThroughputExceededException" });

it("retries throttled calls with backoff and counts them", async () => {
  const counter = { throttledRetries: 0 };
  let calls = 0;
  const value = await withThrottleRetries(async () => {
    if (++calls < 3) throw throttled();
    return "ok";
  }, 5, counter, 1);
  assert.equal(value, "ok");
  assert.equal(counter.throttledRetries, 2);
});

it("gives up after maxAttempts, and never retries other errors", async () => {
  const counter = { throttledRetries: 0 };
  await assert.rejects(withThrottleRetries(async () => Promise.reject(throttled()), 3, counter, 1), /slow down/);
  assert.equal(counter.throttledRetries, 2, "three attempts are two retries");
  let calls = 0;
  await assert.rejects(withThrottleRetries(async () => {
    calls++;
    throw Object.assign(new Error("bad request"), { name: "ValidationException" });
  }, 3, counter, 1));
  assert.equal(calls, 1);
  assert.equal(counter.throttledRetries, 2);
});
