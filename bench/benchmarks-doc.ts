import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const DOC = join(new URL("../../", import.meta.url).pathname, "docs", "BENCHMARKS.md");

/** Bench results go into docs/BENCHMARKS.md only from runs worth quoting there: medians of three or more. */
export const MIN_RUNS_FOR_DOCS = 3;

/**
 * Replaces the generated block `<!-- NAME:begin -->` … `<!-- NAME:end -->` of docs/BENCHMARKS.md
 * with `markdown`: a bench script writes its own figures, and the reading of them around the block
 * stays hand-written. Returns the file's path.
 */
export async function writeGeneratedBlock(name: string, markdown: string, doc = DOC): Promise<string> {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const text = await readFile(doc, "utf8");
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${doc} has no block ${begin} … ${end} to write the figures into`);
  await writeFile(doc, `${text.slice(0, from + begin.length)}\n${markdown.trim()}\n${text.slice(to)}`);
  return doc;
}
