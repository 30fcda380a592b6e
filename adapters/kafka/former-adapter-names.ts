import type { RunResult } from "../../harness/result/result-schema.js";

/**
 * Results written before the Kafka adapters were renamed (eventbench 0.1.0 until 2026-12-02) call
 * the @platformatic/kafka adapter `kafka-platformatic` and the kafkajs one `kafka`; today they are
 * `kafka` and `kafkajs`. Such a result is read under today's names, so that a baseline written then
 * compares with a run made now, client against the same client. A result is taken as old-named
 * when one of its entries is `kafka-platformatic`, or an entry named `kafka` ran kafkajs (its
 * recorded client says so); the whole result is then renamed at once, and a note says so.
 */
export function withCurrentAdapterNames(result: RunResult): RunResult {
  const oldNamed =
    [...result.runs, ...result.skipped].some((e) => e.adapter === OLD_PLATFORMATIC) ||
    result.runs.some((e) => e.adapter === OLD_KAFKAJS && e.system.client.startsWith("kafkajs "));
  if (!oldNamed) return result;
  return {
    ...result,
    runs: result.runs.map((e) => ({ ...e, adapter: currentName(e.adapter) })),
    skipped: result.skipped.map((s) => ({ ...s, adapter: currentName(s.adapter) })),
    notes: [...(result.notes ?? []), RENAME_NOTE],
  };
}

const OLD_PLATFORMATIC = "kafka-platformatic";
const OLD_KAFKAJS = "kafka";
const RENAME_NOTE = "written under the adapter names before 2026-12-02, read under today's: kafka-platformatic → kafka (@platformatic/kafka), kafka → kafkajs";

function currentName(adapter: string): string {
  if (adapter === OLD_PLATFORMATIC) return "kafka";
  if (adapter === OLD_KAFKAJS) return "kafkajs";
  return adapter;
}
