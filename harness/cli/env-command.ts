import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { serviceNames } from "../../adapters/registry.js";
import { ConfigError } from "../errors/errors.js";
import { EnvironmentSession } from "../environment/environment-session.js";
import { nativeCacheFolders, prepareNativeService } from "../environment/native/native-provider.js";
import type { EnvironmentChoice } from "../environment/provider.js";
import { prepareToxiproxy, TOXIPROXY_CACHE_FOLDER } from "../faults/toxiproxy.js";
import { leftoverServers, stopCommand, stopLeftovers } from "../environment/native/leftover-servers.js";

interface EnvOptions {
  readonly services?: string[];
  readonly env: EnvironmentChoice;
  readonly out: string;
}

function servicesOf(names: string[] | undefined): string[] {
  const known = serviceNames();
  if (!names) return known;
  for (const n of names) {
    if (!known.includes(n)) throw new ConfigError("--services", `unknown service "${n}"; expected ${known.join(", ")}`);
  }
  return names;
}

/**
 * `eventbench env status|up|down|prepare`. There is no daemon: `up` keeps the servers running until
 * Ctrl-C, then stops them (so nothing is ever left behind); `status` also lists servers an
 * eventbench that is gone left running, and `down` stops them; `prepare` downloads what the native
 * provider needs (CI runs it before the tests); `downloads` names, without downloading, the cache
 * folders `prepare` fills, one a line, version included (what the perf workflow keys its cache on).
 */
export async function envCommand(action: string, o: EnvOptions): Promise<void> {
  const services = servicesOf(o.services);
  const workDir = resolve(o.out);
  await mkdir(workDir, { recursive: true });
  const session = new EnvironmentSession({ choice: o.env, workDir, serviceSettings: {}, note: (m) => process.stderr.write(`${m}\n`) });
  switch (action) {
    case "status": {
      for (const kind of services) {
        const reason = await session.unavailableReason(kind);
        process.stdout.write(`${kind.padEnd(9)} ${reason ? `unavailable: ${reason}` : "available"}\n`);
      }
      const leftovers = await leftoverServers();
      if (leftovers.length) {
        process.stdout.write(`left running by an eventbench that is gone (stop them all with: eventbench env down):\n`);
        for (const r of leftovers) process.stdout.write(`  ${r.label}  pid ${r.pid}, started ${r.startedAt} by pid ${r.harnessPid}, log ${r.logFile}; stop: ${stopCommand(r)}\n`);
      }
      return;
    }
    case "down": {
      const stopped = await stopLeftovers();
      for (const r of stopped) process.stdout.write(`stopped ${r.label} (pid ${r.pid})\n`);
      if (!stopped.length) process.stdout.write("no server left running by an eventbench that is gone\n");
      return;
    }
    case "prepare":
      for (const kind of services) process.stdout.write(`${kind.padEnd(9)} ${await prepareNativeService(kind)}\n`);
      // The slow-network fault's proxy: not a service of its own, prepared with them.
      process.stdout.write(`${"toxiproxy".padEnd(9)} ${await prepareToxiproxy()}\n`);
      return;
    case "downloads":
      for (const folder of [...nativeCacheFolders(services), TOXIPROXY_CACHE_FOLDER]) process.stdout.write(`${folder}\n`);
      return;
    case "up": {
      try {
        for (const kind of services) {
          const handle = await session.service(kind);
          process.stdout.write(`${kind.padEnd(9)} ${handle.endpoint.display}  (${handle.endpoint.provider} ${handle.version}${handle.logFile ? `, log ${handle.logFile}` : ""})\n`);
        }
        process.stdout.write("servers are up; press Ctrl-C to stop them\n");
        await new Promise<void>((done) => {
          process.once("SIGINT", () => done());
          process.once("SIGTERM", () => done());
          process.once("SIGHUP", () => done());
        });
      } finally {
        await session.stopAll();
      }
      return;
    }
    default:
      throw new ConfigError("env", `unknown action "${action}"; expected up, down, status, prepare or downloads`);
  }
}
