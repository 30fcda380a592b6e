import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { eventbenchCacheDir } from "../../harness/environment/cache-dir.js";
import { EnvironmentError } from "../../harness/errors/errors.js";

const execFileAsync = promisify(execFile);

/** Pinned: moto's newest release on PyPI (5.2.5, looked up 2026-12-03). Its `server` extra brings Flask and every service's dependencies. */
export const MOTO_VERSION = "5.2.5";
const MOTO_REQUIREMENT = `moto[server]==${MOTO_VERSION}`;
/** The folder its virtual environment is made in, under eventbench's cache (named by version). */
export const MOTO_CACHE_FOLDER = `moto-${MOTO_VERSION}`;
const COMPLETE_MARKER = ".complete";
const INSTALL_TIMEOUT_MS = 600_000;
const PYTHON_MISSING = "python3 with its venv module is needed to run moto (apt-get install -y python3 python3-venv)";

/** Why python3 cannot make moto's virtual environment here, or null when it can. */
export async function pythonUnavailableReason(): Promise<string | null> {
  try {
    // Debian splits ensurepip (which `python3 -m venv` needs for pip) into python3-venv.
    await execFileAsync("python3", ["-c", "import venv, ensurepip"]);
    return null;
  } catch {
    return PYTHON_MISSING;
  }
}

export const motoVenvDir = (): string => join(eventbenchCacheDir(), MOTO_CACHE_FOLDER, "venv");
export const motoPython = (): string => join(motoVenvDir(), "bin", "python");
export const motoInstalled = (): boolean => existsSync(join(eventbenchCacheDir(), MOTO_CACHE_FOLDER, COMPLETE_MARKER));

/**
 * The python of a virtual environment holding moto's server, made with the machine's python3 and
 * installed from PyPI with pip into eventbench's cache on first use (about 320 MB: the `server`
 * extra pulls every service's dependencies); later calls reuse it. The marker is written only
 * after a complete install, so an interrupted one is redone. `pip freeze` is kept beside it.
 */
export async function resolveMoto(progress: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<string> {
  if (motoInstalled()) return motoPython();
  const missing = await pythonUnavailableReason();
  if (missing) throw new EnvironmentError(missing);
  const dir = join(eventbenchCacheDir(), MOTO_CACHE_FOLDER);
  progress(`eventbench: installing ${MOTO_REQUIREMENT} from PyPI into ${dir} (first use, about 320 MB) …`);
  const started = Date.now();
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    await execFileAsync("python3", ["-m", "venv", motoVenvDir()], { timeout: INSTALL_TIMEOUT_MS });
    await execFileAsync(motoPython(), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", MOTO_REQUIREMENT], {
      timeout: INSTALL_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    const { stdout } = await execFileAsync(motoPython(), ["-m", "pip", "freeze", "--disable-pip-version-check"]);
    await writeFile(join(dir, "pip-freeze.txt"), stdout);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const detail = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim() || e.message;
    throw new EnvironmentError(`could not install ${MOTO_REQUIREMENT} into ${dir}:\n${detail.split("\n").slice(-5).join("\n")}`);
  }
  await writeFile(join(dir, COMPLETE_MARKER), new Date().toISOString());
  progress(`eventbench: moto ${MOTO_VERSION} ready (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return motoPython();
}
