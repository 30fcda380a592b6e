/**
 * When each event of an open-loop run is due. Latency is measured from these intended times, not
 * from when the harness got round to sending (coordinated omission, as wrk2 and HdrHistogram
 * describe it): a stalled system shows its stall.
 */
export interface ArrivalSchedule {
  /** Events in the whole schedule. */
  readonly totalEvents: number;
  /** Seconds from the start. */
  readonly durationS: number;
  /** Intended time of event `i` (0-based), in seconds from the start. */
  timeOf(i: number): number;
  /** Events due by `t` seconds (the count of i with timeOf(i) ≤ t), at most `totalEvents`. */
  dueBy(t: number): number;
  /** Target rate (events/s) at `t`. */
  rateAt(t: number): number;
  /**
   * Events/s the schedule asks for on average between `from` and `to` seconds: what a ramp's
   * interval is judged against (its rate at one instant would be its peak or its trough).
   */
  meanRate(from: number, to: number): number;
}

/** A linear ramp of the rate from `from` to `to` over `durationS` (k6 stage semantics). */
export interface RateStage {
  readonly from: number;
  readonly to: number;
  readonly durationS: number;
}

/**
 * Piecewise-linear rate. In a stage the cumulative count is N(τ) = from·τ + (to−from)·τ²/(2D),
 * so event times are the roots of a quadratic: exact, no drift however long the run.
 */
export class PiecewiseLinearSchedule implements ArrivalSchedule {
  readonly totalEvents: number;
  readonly durationS: number;
  private readonly starts: { t: number; n: number }[] = [];

  constructor(private readonly stages: readonly RateStage[]) {
    let t = 0;
    let n = 0;
    for (const s of stages) {
      this.starts.push({ t, n });
      t += s.durationS;
      n += ((s.from + s.to) / 2) * s.durationS;
    }
    this.durationS = t;
    this.totalEvents = Math.floor(n + 1e-9);
  }

  dueBy(t: number): number {
    if (t < 0) return 0;
    return Math.min(this.totalEvents, Math.floor(this.cumulative(t) + 1e-9) + 1);
  }

  timeOf(i: number): number {
    for (let k = 0; k < this.stages.length; k++) {
      const s = this.stages[k] as RateStage;
      const start = this.starts[k] as { t: number; n: number };
      const stageEvents = ((s.from + s.to) / 2) * s.durationS;
      const m = i - start.n; // events into this stage
      if (m > stageEvents + 1e-9 && k < this.stages.length - 1) continue;
      // An event exactly at a stage's start is due then; below, a ramp from 0/s (k6's default
      // startRate) would divide 0 by 0.
      if (m <= 0) return start.t;
      const slope = (s.to - s.from) / s.durationS;
      if (Math.abs(slope) < 1e-12) return start.t + (s.from > 0 ? m / s.from : 0);
      // slope/2·τ² + from·τ − m = 0, positive root, in the numerically stable form
      const disc = s.from * s.from + 2 * slope * m;
      const tau = (2 * m) / (s.from + Math.sqrt(Math.max(0, disc)));
      return start.t + tau;
    }
    return this.durationS;
  }

  rateAt(t: number): number {
    for (let k = 0; k < this.stages.length; k++) {
      const s = this.stages[k] as RateStage;
      const start = this.starts[k] as { t: number; n: number };
      if (t <= start.t + s.durationS || k === this.stages.length - 1) {
        const tau = Math.min(Math.max(0, t - start.t), s.durationS);
        return s.from + ((s.to - s.from) * tau) / s.durationS;
      }
    }
    return 0;
  }

  meanRate(from: number, to: number): number {
    if (!(to > from)) return 0;
    const at = (t: number) => this.cumulative(Math.min(Math.max(0, t), this.durationS));
    return (at(to) - at(from)) / (to - from);
  }

  private cumulative(t: number): number {
    for (let k = 0; k < this.stages.length; k++) {
      const s = this.stages[k] as RateStage;
      const start = this.starts[k] as { t: number; n: number };
      if (t <= start.t + s.durationS || k === this.stages.length - 1) {
        const tau = Math.min(t - start.t, s.durationS);
        return start.n + s.from * tau + ((s.to - s.from) * tau * tau) / (2 * s.durationS);
      }
    }
    return this.totalEvents;
  }
}

export function constantRate(rate: number, durationS: number): ArrivalSchedule {
  return new PiecewiseLinearSchedule([{ from: rate, to: rate, durationS }]);
}
