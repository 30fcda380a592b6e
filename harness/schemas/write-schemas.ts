/** `npm run schemas`: regenerates the committed JSON Schemas. */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { generatedSchemas, serialize } from "./generated-schemas.js";

const root = new URL("../../../", import.meta.url);
for (const [path, schema] of Object.entries(generatedSchemas())) {
  await writeFile(fileURLToPath(new URL(path, root)), serialize(schema));
  process.stdout.write(`wrote ${path}\n`);
}
