import { credentialsInUrl } from "./redact-url.js";

/**
 * The secrets this process knows, and the one place they are scrubbed from what it prints and
 * stores. Endpoints are redacted where they are shown (redactUrl), but free text is not under
 * eventbench's control: a client's or server's error message may quote a credential (a Redis
 * with AUTH renamed answers `unknown command 'auth', with args beginning with: '<password>'`),
 * and such a message travels into `delivery.errorMessages`, an entry's error, the log, the
 * reports and the terminal. Every output scrubs through here: the process's stdout and stderr
 * (cli/main.ts), eventbench.log (cli/run-command.ts), result.json (result/result-writer.ts), the
 * reports (report/write-report.ts) and the metrics endpoint (metrics/metrics-server.ts).
 */
const secrets = new Set<string>();
/** Every form of every secret, longest first, so a secret that contains another is replaced whole. */
let forms: string[] = [];

/**
 * Shorter secrets cannot be told apart from ordinary text (scrubbing `abc` would rewrite every
 * word holding it); they are still removed from endpoints, where their place is known.
 */
export const MIN_SECRET_LENGTH = 4;
/** A variable found by its name alone may hold `true` or `1`: only longer values count. */
const MIN_NAMED_VALUE_LENGTH = 8;

/**
 * Environment variables whose value is a credential by their name: AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN, PGPASSWORD, KAFKA_SASL_PASSWORD, GITHUB_TOKEN, … Those naming a file, a
 * path or an address of a credential (AWS_WEB_IDENTITY_TOKEN_FILE) hold no secret themselves.
 */
const SECRET_VARIABLE = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|API_?KEY|PRIVATE_?KEY/i;
const POINTER_VARIABLE = /_(FILE|PATH|DIR|HOME|URI|URL|ENDPOINT|REGION|PROFILE)$/i;

/** Adds secrets to scrub; values shorter than MIN_SECRET_LENGTH are left out (see there). */
export function addSecrets(values: Iterable<string>): void {
  let added = false;
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH || secrets.has(value)) continue;
    secrets.add(value);
    added = true;
  }
  if (added) forms = [...new Set([...secrets].flatMap(formsOf))].sort((a, b) => b.length - a.length);
}

/**
 * The secrets the environment hands this process: the credentials in the endpoint variables
 * (`endpointVariables`: REDIS_URL, KAFKA_BROKERS … as the service definitions name them) and the
 * values of variables named as credentials.
 */
export function addEnvironmentSecrets(env: NodeJS.ProcessEnv, endpointVariables: readonly string[]): void {
  for (const name of endpointVariables) {
    const value = env[name];
    if (value) addSecrets(credentialsInUrl(value.trim()));
  }
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_NAMED_VALUE_LENGTH && SECRET_VARIABLE.test(name) && !POINTER_VARIABLE.test(name)) addSecrets([value]);
  }
}

/** The forms a secret takes in text: as is, URL-encoded, and escaped inside a JSON string. */
function formsOf(secret: string): string[] {
  return [...new Set([JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), secret])];
}

/** `text` with every known secret replaced by `***`. */
export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const form of forms) if (scrubbed.includes(form)) scrubbed = scrubbed.replaceAll(form, "***");
  return scrubbed;
}

/**
 * A copy of `value` with every string in it scrubbed (keys too), for data rendered into several
 * formats: scrubbed before it is escaped for HTML or XML, where the secret would take other forms.
 */
export function withoutSecrets<T>(value: T): T {
  if (forms.length === 0) return value;
  return scrubValue(value) as T;
}

function scrubValue(value: unknown): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubSecrets(k), scrubValue(v)]));
  }
  return value;
}

/** Forgets every secret (tests of this module). */
export function forgetSecrets(): void {
  secrets.clear();
  forms = [];
}

/**
 * Scrubs everything this process writes to its stdout and stderr: its own lines, log-update's
 * live line and what worker threads print (piped through these streams). A chunk is scrubbed on
 * its own; Node writes each line whole, so a secret is not split across two.
 */
export function scrubProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(scrubChunk(chunk), ...rest)) as typeof stream.write;
  }
}

function scrubChunk(chunk: unknown): unknown {
  if (forms.length === 0) return chunk;
  if (typeof chunk === "string") return scrubSecrets(chunk);
  if (chunk instanceof Uint8Array) {
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("utf8");
    const scrubbed = scrubSecrets(text);
    return scrubbed === text ? chunk : scrubbed;
  }
  return chunk;
}
