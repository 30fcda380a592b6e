/** What members of a broker's consumer groups did that the harness cannot see, summed over an adapter's members (its `stats()`). */
export interface ConsumerCounts {
  /** Connections opened again after the broker dropped one (killed, restarted, frozen past the heartbeat). */
  reconnects: number;
  /** Deliveries the broker marked as delivered before. */
  redelivered: number;
}
