import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import { addEnvironmentSecrets, addSecrets, forgetSecrets, scrubSecrets, withoutSecrets } from "./known-secrets.js";
import { credentialsInUrl } from "./redact-url.js";

afterEach(forgetSecrets);

it("finds the credentials an endpoint carries: password, a lone user name (a token), credential parameters, encoded and decoded", () => {
  assert.deepEqual(credentialsInUrl("redis://default:s3cret@h:1/0"), ["s3cret"]);
  assert.deepEqual(credentialsInUrl("rediss://tok3n-abc@h:1"), ["tok3n-abc"]);
  assert.deepEqual(credentialsInUrl("redis://h:1/0?db=2&password=p%40ss-1"), ["p%40ss-1", "p@ss-1"]);
  assert.deepEqual(credentialsInUrl("u:pw-1@b1:9092,u:pw-2@b2:9092?sasl_password=sasl-3"), ["sasl-3", "pw-1", "pw-2"]);
  assert.deepEqual(credentialsInUrl("redis://127.0.0.1:6379"), []);
});

it("scrubs a known secret from free text, in its plain, URL-encoded and JSON-escaped forms", () => {
  addSecrets(['p@ss"word-9']);
  assert.equal(scrubSecrets("ERR unknown command 'auth', with args beginning with: 'p@ss\"word-9'"), "ERR unknown command 'auth', with args beginning with: '***'");
  assert.equal(scrubSecrets(JSON.stringify({ error: 'quoted p@ss"word-9' })), JSON.stringify({ error: "quoted ***" }));
  assert.equal(scrubSecrets(`x=${encodeURIComponent('p@ss"word-9')}`), "x=***");
});

it("scrubs every string of a data tree, keys too, leaving numbers and the rest alone", () => {
  addSecrets(["hunter22"]);
  const scrubbed = withoutSecrets({ runs: [{ error: "auth hunter22 refused", errorMessages: [{ message: "hunter22", count: 3 }] }], ok: true, hunter22: 1 });
  assert.deepEqual(scrubbed, { runs: [{ error: "auth *** refused", errorMessages: [{ message: "***", count: 3 }] }], ok: true, "***": 1 });
});

it("takes the endpoint variables' credentials and the values of variables named as credentials from the environment", () => {
  addEnvironmentSecrets(
    {
      REDIS_URL: "redis://:from-url-1@h:1",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG",
      AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2VjE",
      AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/secrets/token",
      SOME_FLAG_TOKEN: "true",
      HOME: "/root",
    },
    ["REDIS_URL"],
  );
  assert.equal(scrubSecrets("from-url-1 wJalrXUtnFEMI/K7MDENG IQoJb3JpZ2luX2VjE /var/run/secrets/token true /root"), "*** *** *** /var/run/secrets/token true /root");
});

it("leaves secrets too short to tell from text to endpoint redaction", () => {
  addSecrets(["abc"]);
  assert.equal(scrubSecrets("abcdef"), "abcdef");
});
