import { monotonicNowNs } from "../measurement/monotonic-clock.js";

/** How long the producers of a thread may keep its event loop in one turn. */
const TURN_BUDGET_NS = 1_000_000;

/**
 * An in-process system acknowledges in a microtask, so a producer's send → acknowledgement → send
 * chain never gives the event loop back: timers, the coordinator's flush requests and the
 * consumers on the same thread starve, and the thread's memory fills with what they should have
 * taken (measured: 478k/s of 1M/s sent, 11.9 s loop delay, 4.7 GB RSS). Producers check the
 * budget after each acknowledgement and wait for the next turn once it is spent; against a real
 * server every reply arrives in a turn of its own, and the check never fires.
 *
 * One budget per thread (module state: each worker thread has its own), and every producer loop
 * that finds it spent waits for the same next turn: 64 closed-loop VUs share 1 ms per turn, they
 * do not get 1 ms each.
 */
class TurnBudget {
  private turnStartNs = monotonicNowNs();
  private next: Promise<void> | undefined;

  /** Called where a new event-loop turn is known to begin (a timer fired). */
  startTurn(): void {
    this.turnStartNs = monotonicNowNs();
  }

  get spent(): boolean {
    return monotonicNowNs() - this.turnStartNs > TURN_BUDGET_NS;
  }

  /** Resolves on a later turn, after pending I/O and due timers; the same promise for every caller of this turn. */
  nextTurn(): Promise<void> {
    this.next ??= new Promise((resolve) =>
      setImmediate(() => {
        this.next = undefined;
        this.startTurn();
        resolve();
      }),
    );
    return this.next;
  }
}

export const threadTurn = new TurnBudget();
