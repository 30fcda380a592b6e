/**
 * A `.properties` file as java.util.Properties reads it, the format of Kafka's client files
 * (`--command-config`, the files managed services hand out): `key=value`, `key: value` or
 * `key value`; `#` and `!` comments; a line ending in an odd number of backslashes continues on
 * the next, whose leading blanks are dropped (a PEM or a JAAS line written over several lines);
 * escapes `\t \n \r \f \uXXXX` and `\<char>`. A key given twice keeps its last value, as Java's.
 * Each entry keeps the line it started on, for error messages.
 */
export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

export function parseJavaProperties(text: string): PropertyEntry[] {
  const lines = text.split(/\r\n|\r|\n/);
  const byKey = new Map<string, PropertyEntry>();
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = (lines[i] as string).replace(/^[ \t\f]+/, "");
    if (logical === "" || logical.startsWith("#") || logical.startsWith("!")) continue;
    while (continues(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + (lines[++i] as string).replace(/^[ \t\f]+/, "");
    }
    if (continues(logical)) logical = logical.slice(0, -1);
    const { key, value } = splitEntry(logical);
    byKey.delete(key);
    byKey.set(key, { key, value, line: start + 1 });
  }
  return [...byKey.values()];
}

/** An odd number of trailing backslashes: the last one escapes the line end. */
function continues(line: string): boolean {
  let n = 0;
  for (let j = line.length - 1; j >= 0 && line[j] === "\\"; j--) n++;
  return n % 2 === 1;
}

/** The key ends at the first unescaped `=`, `:` or blank; blanks and one separator follow it. */
function splitEntry(line: string): { key: string; value: string } {
  let j = 0;
  while (j < line.length && !"=: \t\f".includes(line[j] as string)) j += line[j] === "\\" ? 2 : 1;
  const key = unescape(line.slice(0, j));
  let k = j;
  while (k < line.length && " \t\f".includes(line[k] as string)) k++;
  if (k < line.length && "=:".includes(line[k] as string)) k++;
  while (k < line.length && " \t\f".includes(line[k] as string)) k++;
  return { key, value: unescape(line.slice(k)) };
}

const ESCAPES: Readonly<Record<string, string>> = { t: "\t", n: "\n", r: "\r", f: "\f" };

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => (c.length === 5 ? String.fromCharCode(parseInt(c.slice(1), 16)) : (ESCAPES[c] ?? c)));
}
