import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { it } from "node:test";
import { generatedSchemas, serialize } from "./generated-schemas.js";

const root = new URL("../../../", import.meta.url);

it("the committed JSON Schemas match the zod schemas (run `npm run schemas` after changing them)", async () => {
  for (const [path, schema] of Object.entries(generatedSchemas())) {
    const committed = await readFile(fileURLToPath(new URL(path, root)), "utf8");
    assert.equal(committed, serialize(schema), `${path} is out of date`);
  }
});
