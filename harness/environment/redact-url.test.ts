import assert from "node:assert/strict";
import { it } from "node:test";
import { redactUrl } from "./redact-url.js";

it("removes credentials from endpoints before they are printed or stored", () => {
  assert.equal(redactUrl("redis://default:s3cret@10.0.0.1:6379/0"), "redis://***:***@10.0.0.1:6379/0");
  assert.equal(redactUrl("rediss://:s3cret@cache.example:6380"), "rediss://:***@cache.example:6380");
  assert.equal(redactUrl("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
  assert.equal(redactUrl("user:pw@b1:9092,user:pw@b2:9092"), "***@b1:9092,***@b2:9092");
});
