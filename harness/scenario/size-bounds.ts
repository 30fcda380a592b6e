import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { ConfigError } from "../errors/errors.js";

/**
 * Sizes a scenario may ask for, checked before anything starts: past them a run did not fail, it
 * took the machine down (`keys: 1e9` crashed V8 and left Redis running; `payloadSize: 1e9` woke
 * the kernel's OOM killer; a 50 MB scenario file parsed for an hour, as the YAML parser's
 * duplicate-key check compares each key of a mapping with every earlier one).
 */

/** Scenario files are a few KiB. Parsing is linear but slow: 10,000 keys (0.1 MiB) took 1.5 s here, 100,000 (1.1 MiB) 9 s. */
export const MAX_SCENARIO_FILE_BYTES = 256 * 1024;
/** Scenarios in one file (each runs once per adapter). */
export const MAX_SCENARIOS = 1000;
/** Bytes per event: above Kafka's default message limit and DynamoDB's item limit already. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/**
 * Harness memory a key costs each producer: its sequence number and name in the producer thread
 * (56 B measured on Node 24), its sent count at the end in the coordinator, and headroom.
 */
const BYTES_PER_KEY_PER_PRODUCER = 128;
/** An append in flight beside its payload: the envelope, the promise and its recorder entry. */
const BYTES_PER_APPEND_IN_FLIGHT = 1024;

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString("en-US")} MiB`;

/**
 * What one harness thread may use for a run's own state: a quarter of the smaller of V8's heap
 * limit (each worker thread has one like it) and the machine's memory, leaving the rest to
 * histograms, clients and the servers on this machine.
 */
export function harnessMemoryBudget(): { readonly bytes: number; readonly why: string } {
  const heap = getHeapStatistics().heap_size_limit;
  const machine = totalmem();
  return heap <= machine
    ? { bytes: heap / 4, why: `a quarter of V8's heap limit of ${mib(heap)}` }
    : { bytes: machine / 4, why: `a quarter of this machine's ${mib(machine)}` };
}

export function checkScenarioFileSize(path: string, bytes: number): void {
  if (bytes > MAX_SCENARIO_FILE_BYTES) {
    throw new ConfigError(path, `the file is ${Math.ceil(bytes / 1024).toLocaleString("en-US")} KiB; a scenario file is at most ${MAX_SCENARIO_FILE_BYTES / 1024} KiB (scenario files are a few KiB: this is not one)`);
  }
}

export function checkScenarioCount(source: string, count: number): void {
  if (count > MAX_SCENARIOS) throw new ConfigError(`${source}: scenarios`, `${count.toLocaleString("en-US")} scenarios; a file holds at most ${MAX_SCENARIOS.toLocaleString("en-US")}`);
}

export interface SizedWorkload {
  readonly keys: number;
  readonly producers: number;
  readonly payloadSize: number;
  readonly batchSize: number;
  readonly maxInFlight: number;
  /** The field that sets maxInFlight (`vus`, `maxVUs`…), named when it is what is too large. */
  readonly inFlightField: string;
}

/** Refuses (ConfigError, exit 2) sizes the harness could not hold, naming the field, its value and the limit. */
export function checkWorkloadSizes(w: SizedWorkload, at: (field: string) => string, budget = harnessMemoryBudget()): void {
  if (w.payloadSize > MAX_PAYLOAD_BYTES) {
    throw new ConfigError(at("payloadSize"), `${w.payloadSize.toLocaleString("en-US")} bytes; at most ${MAX_PAYLOAD_BYTES.toLocaleString("en-US")} (1 MiB) an event`);
  }
  const keyBytes = w.keys * w.producers * BYTES_PER_KEY_PER_PRODUCER;
  if (keyBytes > budget.bytes) {
    const most = Math.floor(budget.bytes / (w.producers * BYTES_PER_KEY_PER_PRODUCER));
    throw new ConfigError(
      at("keys"),
      `${w.keys.toLocaleString("en-US")} keys × ${w.producers} producer(s) need about ${mib(keyBytes)} of harness memory (${BYTES_PER_KEY_PER_PRODUCER} B a key per producer); this machine allows ${mib(budget.bytes)} (${budget.why}): at most ${most.toLocaleString("en-US")} keys`,
    );
  }
  const appendBytes = w.payloadSize * w.batchSize + BYTES_PER_APPEND_IN_FLIGHT;
  // maxInFlight is the entry's, shared among its producers.
  const inFlightBytes = w.maxInFlight * appendBytes;
  if (inFlightBytes > budget.bytes) {
    const dominated = w.payloadSize * w.batchSize > BYTES_PER_APPEND_IN_FLIGHT ? "payloadSize" : w.inFlightField;
    throw new ConfigError(
      at(dominated),
      `${w.maxInFlight.toLocaleString("en-US")} appends in flight (${w.inFlightField}) × ${w.batchSize} event(s) of ${w.payloadSize.toLocaleString("en-US")} B hold about ${mib(inFlightBytes)} at once; this machine allows ${mib(budget.bytes)} (${budget.why})`,
    );
  }
}
