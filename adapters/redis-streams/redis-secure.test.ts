import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createCertificateAuthority, issueCertificate, type LocalCertificate, type LocalCertificateAuthority } from "../../harness/environment/native/local-certificates.js";
import { describeAdapterContract } from "../contract/contract-suite.js";
import { startNativeRedis, type NativeRedisHandle } from "./redis-native-server.js";
import { redisStreamsAdapterFactory } from "./redis-streams-adapter.js";
import { runCli } from "../../test/support/run-cli.js";
import { tempDir } from "../../test/support/temp-dir.js";

/**
 * A redis-server that takes only TLS, with certificates made at test time with openssl, and an ACL
 * user instead of the default one: the contract suite over it (rediss://user:password@, the CA and
 * a client certificate from REDIS_TLS_*), a CLI run whose outputs hold neither the password nor
 * the client key, and a wrong password and an untrusted certificate exiting 3 within 20 s.
 */
const USER = "bench-user";
const PASSWORD = "acl-pw-never-printed-7Hq";

interface SecureRedis {
  readonly server: NativeRedisHandle;
  readonly ca: LocalCertificateAuthority;
  readonly client: LocalCertificate;
  readonly untrustedCa: LocalCertificateAuthority;
  url(password?: string): string;
}

async function startSecureRedis(): Promise<SecureRedis> {
  const dir = await tempDir("redis-tls");
  const ca = await createCertificateAuthority(dir, "redis");
  const serverCert = await issueCertificate(ca, dir, "redis-server");
  const client = await issueCertificate(ca, dir, "eventbench-client");
  const untrustedCa = await createCertificateAuthority(dir, "nobody");
  const server = await startNativeRedis({ workDir: dir }, undefined, {
    tls: { certFile: serverCert.certFile, keyFile: serverCert.keyFile, caFile: ca.certFile },
    users: [{ name: USER, password: PASSWORD }],
  });
  return { server, ca, client, untrustedCa, url: (password = PASSWORD) => `rediss://${USER}:${password}@127.0.0.1:${server.port}` };
}

const tlsEnv = (s: SecureRedis, ca = s.ca.certFile) => ({ REDIS_TLS_CA: ca, REDIS_TLS_CERT: s.client.certFile, REDIS_TLS_KEY: s.client.keyFile });

describeAdapterContract({
  factory: redisStreamsAdapterFactory,
  start: async () => {
    const secure = await startSecureRedis();
    // The adapter reads REDIS_TLS_* where it connects, as in a run.
    Object.assign(process.env, tlsEnv(secure));
    return {
      endpoint: { ...secure.server.endpoint, url: secure.url() },
      stop: async () => {
        for (const name of Object.keys(tlsEnv(secure))) delete process.env[name];
        await secure.server.stop();
      },
    };
  },
  deliveryTimeoutMs: 5_000,
  claimIdleAfterMs: 200,
});

describe("redis-streams over TLS with an ACL user, through the CLI", () => {
  let secure: SecureRedis;
  before(async () => {
    secure = await startSecureRedis();
  });
  after(async () => {
    await secure?.server.stop();
  });
  const run = (url: string, env: Record<string, string>, out: string) =>
    runCli(["run", "--workload", "publish-consume", "--env", "external", "--adapter", "redis-streams", "--rate", "100", "--duration", "1s", "--warmup", "0s", "--out", out, "--run-id", "t"], {
      env: { REDIS_URL: url, ...env },
      timeoutMs: 90_000,
    });

  it("runs, and neither the password nor the client key reaches stdout, stderr or any file of the run", async () => {
    const out = await tempDir("redis-tls-run");
    const outcome = await run(secure.url(), tlsEnv(secure), out);
    assert.equal(outcome.code, 0, `${outcome.stdout}\n${outcome.stderr}`);
    const key = (await readFile(secure.client.keyFile, "utf8")).split("\n")[1] ?? "";
    assert.ok(key.length > 20, "a line of the key's base64 to look for");
    for (const secret of [PASSWORD, key]) {
      assert.ok(!outcome.stdout.includes(secret) && !outcome.stderr.includes(secret), "stdout and stderr");
      for (const f of await readdir(join(out, "t"))) assert.ok(!(await readFile(join(out, "t", f), "utf8")).includes(secret), `${f} holds a secret`);
    }
    assert.match(await readFile(join(out, "t", "result.json"), "utf8"), /rediss:\/\/\*\*\*:\*\*\*@127\.0\.0\.1/);
  });

  it("a wrong password exits 3 within 20 s saying authentication failed, and prints no password", async () => {
    const wrong = "wrong-acl-pw-Zr8";
    const started = Date.now();
    const outcome = await run(secure.url(wrong), tlsEnv(secure), await tempDir("redis-tls-wrong"));
    const printed = `${outcome.stdout}\n${outcome.stderr}`;
    assert.equal(outcome.code, 3, printed);
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    assert.match(printed, /authentication failed/);
    assert.ok(!printed.includes(wrong) && !printed.includes(PASSWORD), printed);
  });

  it("a server certificate signed by a CA the client does not trust exits 3 within 20 s saying certificate not trusted", async () => {
    const started = Date.now();
    const outcome = await run(secure.url(), tlsEnv(secure, secure.untrustedCa.certFile), await tempDir("redis-tls-untrusted"));
    const printed = `${outcome.stdout}\n${outcome.stderr}`;
    assert.equal(outcome.code, 3, printed);
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    assert.match(printed, /certificate not trusted/);
    assert.ok(!printed.includes(PASSWORD), printed);
  });

  it("a REDIS_TLS_CA that cannot be read exits 2 naming the variable", async () => {
    const outcome = await run(secure.url(), { REDIS_TLS_CA: "/nonexistent/ca.pem" }, await tempDir("redis-tls-noca"));
    assert.equal(outcome.code, 2, `${outcome.stdout}\n${outcome.stderr}`);
    assert.match(outcome.stderr, /REDIS_TLS_CA: cannot read the PEM file \/nonexistent\/ca\.pem/);
  });
});
