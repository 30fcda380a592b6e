import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { EnvironmentError } from "../../errors/errors.js";

const execFileAsync = promisify(execFile);

/** A certificate authority made on the spot: its certificate (PEM file) and key, in `dir`. */
export interface LocalCertificateAuthority {
  readonly certFile: string;
  readonly keyFile: string;
}

/** A certificate the authority issued, and its unencrypted PKCS#8 key (the form Java's PEM stores read). */
export interface LocalCertificate {
  readonly certFile: string;
  readonly keyFile: string;
}

/** Certificates last two days: a server started for a run or a test never outlives them. */
const DAYS = "2";

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await execFileAsync("openssl", [...args]);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new EnvironmentError("openssl is not on PATH: a server with TLS needs certificates made with it (apt-get install -y openssl)");
    throw new EnvironmentError(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).trim().split("\n").slice(-2).join(" ")}`);
  }
}

/**
 * A self-signed CA for servers eventbench starts with TLS on loopback (and for tests, a second
 * one that nobody trusts). Files go into `dir`, named by `name`.
 */
export async function createCertificateAuthority(dir: string, name: string): Promise<LocalCertificateAuthority> {
  const certFile = join(dir, `${name}-ca.pem`);
  const keyFile = join(dir, `${name}-ca.key`);
  await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", DAYS, "-subj", `/CN=${name} test CA`]);
  return { certFile, keyFile };
}

/** A certificate for `commonName` signed by `ca`, valid for 127.0.0.1 and localhost (what loopback clients connect to). */
export async function issueCertificate(ca: LocalCertificateAuthority, dir: string, commonName: string): Promise<LocalCertificate> {
  const keyFile = join(dir, `${commonName}.key`);
  const csrFile = join(dir, `${commonName}.csr`);
  const certFile = join(dir, `${commonName}.pem`);
  const extFile = join(dir, `${commonName}.ext`);
  await writeFile(extFile, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
  await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", csrFile, "-subj", `/CN=${commonName}`]);
  await openssl(["x509", "-req", "-in", csrFile, "-CA", ca.certFile, "-CAkey", ca.keyFile, "-CAcreateserial", "-out", certFile, "-days", DAYS, "-extfile", extFile]);
  return { certFile, keyFile };
}
