import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sqsEndpointOf } from "./sns-sqs-endpoints.js";

const endpoint = (url: string, provider: string) => ({ url, display: url, provider });

describe("sns-sqs: the SQS endpoint beside the SNS one", () => {
  it("is the SNS endpoint itself for an emulator (moto serves both on one port), natively even when SQS_ENDPOINT is set for ElasticMQ", () => {
    assert.equal(sqsEndpointOf(endpoint("http://127.0.0.1:5000", "native"), { SQS_ENDPOINT: "http://127.0.0.1:9324" }).url, "http://127.0.0.1:5000");
    assert.equal(sqsEndpointOf(endpoint("http://127.0.0.1:4566", "external"), {}).url, "http://127.0.0.1:4566");
  });

  it("is SQS_ENDPOINT for an external SNS_ENDPOINT, shown without its credentials", () => {
    const sqs = sqsEndpointOf(endpoint("http://127.0.0.1:4566", "external"), { SQS_ENDPOINT: "http://user:secret@127.0.0.1:4567" });
    assert.equal(sqs.url, "http://user:secret@127.0.0.1:4567");
    assert.doesNotMatch(sqs.display, /secret/);
  });

  it("is SQS in the same region for real AWS's SNS", () => {
    assert.equal(sqsEndpointOf(endpoint("https://sns.eu-west-1.amazonaws.com", "external"), {}).url, "https://sqs.eu-west-1.amazonaws.com");
  });
});
