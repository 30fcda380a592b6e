import assert from "node:assert/strict";
import { it } from "node:test";
import { credentialsInUrl, redactUrl } from "./redact-url.js";

it("removes credentials from endpoints before they are printed or stored", () => {
  assert.equal(redactUrl("redis://default:s3cret@10.0.0.1:6379/0"), "redis://***:***@10.0.0.1:6379/0");
  assert.equal(redactUrl("rediss://:s3cret@cache.example:6380"), "rediss://:***@cache.example:6380");
  assert.equal(redactUrl("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
  assert.equal(redactUrl("user:pw@b1:9092,user:pw@b2:9092"), "***@b1:9092,***@b2:9092");
});

it("removes credentials a client accepts in the query string", () => {
  assert.equal(redactUrl("redis://127.0.0.1:6379/0?password=s3cret"), "redis://127.0.0.1:6379/0?password=***");
  assert.equal(redactUrl("redis://h:1/0?db=2&Password=s3cret&tls=true"), "redis://h:1/0?db=2&Password=***&tls=true");
  assert.equal(redactUrl("https://dynamo.example?access_key=AKIA1&secret_access_key=s3cret&region=x"), "https://dynamo.example/?access_key=***&secret_access_key=***&region=x");
  assert.equal(redactUrl("kafka://u:p@b1:9092?sasl_password=s3cret"), "kafka://***:***@b1:9092?sasl_password=***");
  assert.equal(redactUrl("b1:9092,b2:9092?token=s3cret"), "b1:9092,b2:9092?token=***");
  assert.equal(redactUrl("redis://h:1/0?db=2"), "redis://h:1/0?db=2");
});

it("removes the credentials of every URL in a comma-separated list of whole URLs", () => {
  assert.equal(redactUrl("nats://u:p1@h1:4222,nats://u:p2@h2:4222"), "nats://***:***@h1:4222,nats://***:***@h2:4222");
  assert.equal(redactUrl("nats://tok1@h1:4222, nats://h2:4222"), "nats://***@h1:4222, nats://h2:4222", "the list as written, credentials removed");
  assert.deepEqual(credentialsInUrl("nats://u:pw-one@h1:4222,nats://u:pw-two@h2:4222").sort(), ["pw-one", "pw-two"]);
});
