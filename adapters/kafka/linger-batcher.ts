import type { AppendResult, EventProducer, OutgoingEvent } from "../contract/adapter.js";
import type { KafkaSettings } from "./kafka-settings.js";

/**
 * The Java producer's linger.ms / batch.size, which kafkajs lacks: appends arriving within
 * `lingerMs` of the first go out as one produce request, or sooner once `maxBytes` is reached.
 * Each caller's promise settles with the request that carried its events, so the harness still
 * measures every event from its own intended time to its own acknowledgement.
 */
export class LingerBatcher {
  private events: OutgoingEvent[] = [];
  private bytes = 0;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (events: OutgoingEvent[]) => Promise<void>,
    private readonly lingerMs: number,
    private readonly maxBytes: number,
  ) {}

  append(events: readonly OutgoingEvent[]): Promise<void> {
    if (this.lingerMs === 0 && this.events.length === 0) return this.send([...events]);
    const settled = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    for (const e of events) {
      this.events.push(e);
      this.bytes += e.payload.byteLength + e.key.length;
    }
    if (this.bytes >= this.maxBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    return settled;
  }

  /** Sends whatever is waiting now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.events.length === 0) return;
    const events = this.events;
    const waiters = this.waiters;
    this.events = [];
    this.waiters = [];
    this.bytes = 0;
    this.send(events).then(
      () => waiters.forEach((w) => w.resolve()),
      (error: unknown) => waiters.forEach((w) => w.reject(error)),
    );
  }
}

/** An EventProducer over any Kafka client: appends linger into one `send`, as configured. */
export class LingeringEventProducer implements EventProducer {
  private readonly batcher: LingerBatcher;

  constructor(
    send: (events: OutgoingEvent[]) => Promise<void>,
    settings: Pick<KafkaSettings, "lingerMs" | "batchBytes">,
    private readonly closeClient: () => Promise<void>,
  ) {
    this.batcher = new LingerBatcher(send, settings.lingerMs, settings.batchBytes);
  }

  async append(events: readonly OutgoingEvent[]): Promise<AppendResult> {
    await this.batcher.append(events);
    return { appended: events.length, conflicts: [] };
  }

  async close(): Promise<void> {
    this.batcher.flush();
    await this.closeClient();
  }
}
