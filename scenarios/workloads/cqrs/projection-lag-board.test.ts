import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeHistogram } from "../../../harness/measurement/latency-histogram.js";
import { IntervalRecorder } from "../../../harness/measurement/interval-recorder.js";
import { ProjectionLagBoard, newProjectionLagBuffers } from "./projection-lag-board.js";

function lagsUs(recorder: IntervalRecorder): { count: number; max: number; overwritten: number } {
  const snapshot = recorder.take();
  const encoded = snapshot.histograms.projection;
  const h = encoded ? decodeHistogram(encoded) : undefined;
  const out = { count: h?.totalCount ?? 0, max: h?.maxValue ?? 0, overwritten: snapshot.counters.projectionLagOverwritten ?? 0 };
  h?.destroy();
  return out;
}

describe("projection-lag board", () => {
  it("acknowledged first: the projector records visible − acknowledged", () => {
    const recorder = new IntervalRecorder();
    const buffers = newProjectionLagBuffers(1, 4);
    const producerSide = new ProjectionLagBoard(buffers, recorder);
    const projectorSide = new ProjectionLagBoard(buffers, recorder);
    producerSide.acked(0, 2, 7, 1_000_000);
    projectorSide.applied(0, 2, 7, 4_000_000);
    const lag = lagsUs(recorder);
    assert.equal(lag.count, 1);
    assert.ok(Math.abs(lag.max - 3_000) <= 3, `3 ms within HdrHistogram's 3 significant digits (${lag.max} µs)`);
    assert.equal(lag.overwritten, 0);
    recorder.destroy();
  });

  it("visible before the acknowledgement came back: lag 0, recorded once; a redelivery records nothing", () => {
    const recorder = new IntervalRecorder();
    const board = new ProjectionLagBoard(newProjectionLagBuffers(2, 2), recorder);
    board.applied(1, 1, 0, 5_000_000);
    board.acked(1, 1, 0, 6_000_000);
    board.applied(1, 1, 0, 7_000_000);
    const lag = lagsUs(recorder);
    assert.equal(lag.count, 1);
    assert.equal(lag.max, 0);
    recorder.destroy();
  });

  it("a slot reused by a later command of the aggregate before its partner came counts the lost sample", () => {
    const recorder = new IntervalRecorder();
    const board = new ProjectionLagBoard(newProjectionLagBuffers(1, 1, 4), recorder);
    board.acked(0, 0, 1, 1);
    board.acked(0, 0, 5, 2); // same slot (5 mod 4 = 1), seq 1 never projected
    assert.equal(lagsUs(recorder).overwritten, 1);
    recorder.destroy();
  });
});
