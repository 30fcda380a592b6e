import { mkdir, readFile } from "node:fs/promises";
import { writeFileAtomic } from "../result/atomic-file.js";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { eventbenchCacheDir } from "../environment/cache-dir.js";

/**
 * The harness's own ceiling on this machine, as `npm run bench:harness` last measured it: events/s
 * scheduled, recorded and verified on the in-process memory adapter across every core, with one
 * consumer group. Kept in the cache so every later run can say how close to it it ran: an entry
 * near its harness's ceiling may have measured the harness, not the system.
 */
export interface HarnessCeiling {
  /** ISO date of the measurement. */
  readonly measuredAt: string;
  /** CPU model, count and Node.js version: a ceiling holds only where it was measured. */
  readonly machine: string;
  readonly eventsPerSecond: number;
  readonly threads: number;
  /** What recording and verifying one event costs (producer + consumer + verification), ns. */
  readonly measurementNsPerEvent: number;
}

export const thisMachine = (): string => `${cpus()[0]?.model.trim() ?? "unknown CPU"} × ${cpus().length}, Node.js ${process.version}`;

const ceilingFile = () => join(eventbenchCacheDir(), "harness-ceiling.json");

export async function saveHarnessCeiling(ceiling: HarnessCeiling): Promise<string> {
  const path = ceilingFile();
  await mkdir(dirname(path), { recursive: true });
  return writeFileAtomic(path, `${JSON.stringify(ceiling, null, 2)}\n`);
}

/** The ceiling measured on this machine, or undefined (never measured, unreadable, or measured elsewhere). */
export async function harnessCeilingHere(): Promise<HarnessCeiling | undefined> {
  try {
    const ceiling = JSON.parse(await readFile(ceilingFile(), "utf8")) as HarnessCeiling;
    return ceiling.machine === thisMachine() && ceiling.eventsPerSecond > 0 ? ceiling : undefined;
  } catch {
    return undefined;
  }
}
