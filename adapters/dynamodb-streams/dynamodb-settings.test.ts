import assert from "node:assert/strict";
import { it } from "node:test";
import { ConfigError } from "../../harness/errors/errors.js";
import { parseDynamoDbSettings } from "./dynamodb-settings.js";

it("takes defaults, accepts known settings, and names the field of a bad one", () => {
  assert.deepEqual(parseDynamoDbSettings("d"), { pollIntervalMs: 100, maxSockets: 256, maxAttempts: 8, unversionedWrites: "conditional" });
  assert.equal(parseDynamoDbSettings("d", { unversionedWrites: "batch", pollIntervalMs: 10 }).unversionedWrites, "batch");
  assert.throws(() => parseDynamoDbSettings("d", { unversionedWrites: "fast" }), (e: unknown) => e instanceof ConfigError && /d\.unversionedWrites: expected conditional or batch/.test(e.message));
  assert.throws(() => parseDynamoDbSettings("d", { pollIntervalMs: 0 }), /d\.pollIntervalMs: expected an integer from 1 to 10000, got 0/);
  assert.throws(() => parseDynamoDbSettings("d", { maxSockets: "64" }), /got "64"/);
  assert.throws(() => parseDynamoDbSettings("d", { linger: 5 }), /d\.linger: unknown setting/);
});
