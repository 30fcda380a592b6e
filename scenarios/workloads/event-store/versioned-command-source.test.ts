import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IntervalRecorder } from "../../../harness/measurement/interval-recorder.js";
import { EventSource, type SourcedEvent } from "../../../harness/load/event-source.js";
import { VersionedCommandSource } from "./versioned-command-source.js";

/** An event store in a Map: the version check as every adapter does it (harness logic only). */
class VersionCheckingStore {
  readonly versions = new Map<string, number>();
  append(events: readonly SourcedEvent[]): { appended: number; conflicts: string[] } {
    const first = events[0] as SourcedEvent;
    const current = this.versions.get(first.event.key) ?? 0;
    if (first.event.expectedVersion !== current) return { appended: 0, conflicts: [first.event.key] };
    this.versions.set(first.event.key, current + events.length);
    return { appended: events.length, conflicts: [] };
  }
}

function setUp(staleness: number, eventsPerCommand = { min: 1, max: 3 }) {
  const recorder = new IntervalRecorder();
  let k = 0;
  const chooseKey = () => k++ % 3;
  const events = new EventSource({ runTag: 1, producerId: 0, keys: 3, payloadSize: 32, chooseKey });
  const source = new VersionedCommandSource(events, recorder, { keys: 3, chooseKey, eventsPerCommand, staleness });
  return { recorder, source, store: new VersionCheckingStore() };
}

describe("versioned commands", () => {
  it("pipelines commands in flight to one aggregate without conflicting with itself", () => {
    const { recorder, source, store } = setUp(0);
    // Ten commands issued before any acknowledgement comes back, then settled in order.
    const inFlight = Array.from({ length: 10 }, (_, i) => source.arrival(i));
    for (const command of inFlight) source.settled(command, store.append(command));
    const counters = recorder.take().counters;
    assert.equal(counters.commands, 10);
    assert.equal(counters.commandConflicts, undefined, "no conflicts");
    assert.equal([...store.versions.values()].reduce((a, b) => a + b, 0), inFlight.flat().length, "every event appended");
    recorder.destroy();
  });

  it("sends the staleness share one version behind, spread evenly, and each is a conflict", () => {
    const { recorder, source, store } = setUp(0.25, { min: 2, max: 2 });
    for (let i = 0; i < 40; i++) {
      const command = source.arrival(i);
      source.settled(command, store.append(command));
    }
    const counters = recorder.take().counters;
    // Commands 3, 7, 11 … are stale; all aggregates have events by then.
    assert.equal(counters.staleCommands, 10);
    assert.equal(counters.commandConflicts, 10);
    assert.equal(counters.staleAccepted, undefined);
    assert.equal([...store.versions.values()].reduce((a, b) => a + b, 0), 30 * 2, "the 30 fresh commands were appended");
    recorder.destroy();
  });
});
