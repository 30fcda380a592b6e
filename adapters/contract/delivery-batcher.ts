import type { DeliveredEvent, EventHandler } from "./adapter.js";

/**
 * Hands deliveries that arrive in one burst (one socket read: the pushes before the next turn of
 * the event loop) to the handler as one batch, at most `maxBatch` events each: for brokers that
 * push messages one at a time (AMQP consumers).
 */
export class DeliveryBatcher {
  private batch: DeliveredEvent[] = [];
  private scheduled = false;
  private stopped = false;

  constructor(private readonly onEvents: EventHandler, private readonly maxBatch: number) {}

  push(event: DeliveredEvent): void {
    if (this.stopped) return;
    this.batch.push(event);
    if (this.batch.length >= this.maxBatch) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Drops what was not handed over yet, and hands over nothing more (the member closed or died). */
  stop(): void {
    this.stopped = true;
    this.batch = [];
  }

  private flush(): void {
    this.scheduled = false;
    if (this.batch.length === 0 || this.stopped) return;
    const events = this.batch;
    this.batch = [];
    this.onEvents(events);
  }
}
