import type { AppendResult } from "../../../adapters/contract/adapter.js";
import type { IntervalRecorder } from "../../../harness/measurement/interval-recorder.js";
import type { AppendSource, EventSource, SourcedEvent } from "../../../harness/load/event-source.js";

export interface VersionedCommandOptions {
  readonly keys: number;
  readonly chooseKey: () => number;
  readonly eventsPerCommand: { readonly min: number; readonly max: number };
  /** Fraction of commands sent one version behind what the producer knows. */
  readonly staleness: number;
  /**
   * Learns an aggregate's current version after a conflict this producer did not provoke itself
   * (another producer wrote the aggregate), as an event-store client reloads before its next
   * command. Absent: versions are learnt from this producer's own appends only.
   */
  readonly reload?: (keyIndex: number, knownVersion: number) => Promise<number>;
  readonly random?: () => number;
}

/**
 * Event-store commands: each arrival is one command, 1..k events for one aggregate, appended with
 * the version this producer expects the aggregate to be at. Versions are learnt from the append
 * results; commands in flight to the same aggregate are pipelined (the next one expects the
 * version after those in flight), so a single producer never conflicts with itself. A `staleness`
 * share of commands, spread evenly, expects one version less: each is a conflict the adapter must
 * detect, so with one producer the conflicts counted equal the stale commands sent.
 */
export class VersionedCommandSource implements AppendSource {
  /** Version of each aggregate as the last acknowledged append of this producer left it. */
  private readonly known: number[];
  /** Events of fresh commands in flight per aggregate. */
  private readonly inFlight: number[];
  private readonly stale = new WeakSet<SourcedEvent>();
  private commands = 0;
  private readonly random: () => number;

  constructor(
    private readonly events: EventSource,
    private readonly recorder: IntervalRecorder,
    private readonly o: VersionedCommandOptions,
  ) {
    this.known = new Array<number>(o.keys).fill(0);
    this.inFlight = new Array<number>(o.keys).fill(0);
    this.random = o.random ?? Math.random;
  }

  get producerId(): number {
    return this.events.producerId;
  }

  sentPerKey(): readonly number[] {
    return this.events.sentPerKey();
  }

  arrival(intendedNs: number): SourcedEvent[] {
    const keyIndex = this.o.chooseKey();
    const { min, max } = this.o.eventsPerCommand;
    const n = min + Math.floor(this.random() * (max - min + 1));
    const expectedNow = (this.known[keyIndex] as number) + (this.inFlight[keyIndex] as number);
    // An aggregate at version 0 has no older version to be stale with.
    const stale = this.staleTurn() && expectedNow > 0;
    const expected = stale ? expectedNow - 1 : expectedNow;
    if (!stale) this.inFlight[keyIndex] = (this.inFlight[keyIndex] as number) + n;
    const command: SourcedEvent[] = [];
    for (let i = 0; i < n; i++) command.push(this.events.nextFor(keyIndex, intendedNs, expected));
    if (stale) this.stale.add(command[0] as SourcedEvent);
    this.recorder.count("commands");
    if (stale) this.recorder.count("staleCommands");
    return command;
  }

  settled(events: readonly SourcedEvent[], result: AppendResult | null): void {
    const first = events[0];
    if (!first) return;
    const keyIndex = first.keyIndex;
    const expected = first.event.expectedVersion ?? 0;
    const stale = this.stale.has(first);
    if (!stale) this.inFlight[keyIndex] = (this.inFlight[keyIndex] as number) - events.length;
    if (result === null) {
      this.recorder.count("commandErrors");
      return;
    }
    if (result.conflicts.length > 0) {
      this.recorder.count("commandConflicts");
      if (!stale) this.reload(keyIndex);
      return;
    }
    if (stale) this.recorder.count("staleAccepted");
    this.known[keyIndex] = Math.max(this.known[keyIndex] as number, expected + events.length);
  }

  /** Spreads stale commands evenly: command i is stale when ⌊(i+1)·f⌋ > ⌊i·f⌋. */
  private staleTurn(): boolean {
    const i = this.commands++;
    const f = this.o.staleness;
    return Math.floor((i + 1) * f) > Math.floor(i * f);
  }

  private reload(keyIndex: number): void {
    if (!this.o.reload) return;
    this.recorder.count("reloads");
    this.o.reload(keyIndex, this.known[keyIndex] as number).then(
      (version) => (this.known[keyIndex] = Math.max(this.known[keyIndex] as number, version)),
      () => this.recorder.count("reloadErrors"),
    );
  }
}
