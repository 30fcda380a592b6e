import assert from "node:assert/strict";
import { it } from "node:test";
import { encodeHistogram, newHistogram } from "../harness/measurement/latency-histogram.js";
import { percentileLabel, percentileSpectrum } from "./percentile-spectrum.js";

it("places percentiles on the 1/(1-q) axis and ends at the recorded maximum", () => {
  const h = newHistogram();
  for (let us = 1000; us <= 10_000_000; us += 1000) h.recordValue(us); // 1 ms … 10 s, 10,000 values
  const points = percentileSpectrum(encodeHistogram(h));
  h.destroy();
  const at = (x: number) => points.find((p) => Math.abs(p.x - x) < 1e-6 * x);
  assert.ok(Math.abs((at(10)?.ms ?? 0) - 9000) / 9000 < 0.002, `p90 ${at(10)?.ms}`);
  assert.ok(Math.abs((at(100)?.ms ?? 0) - 9900) / 9900 < 0.002, `p99 ${at(100)?.ms}`);
  assert.ok(Math.abs((at(1000)?.ms ?? 0) - 9990) / 9990 < 0.002, `p99.9 ${at(1000)?.ms}`);
  const last = points.at(-1);
  assert.equal(last?.x, 10_000);
  assert.ok(Math.abs((last?.ms ?? 0) - 10_000) / 10_000 < 0.001);
  for (let i = 1; i < points.length; i++) {
    assert.ok((points[i]?.x ?? 0) > (points[i - 1]?.x ?? 0), "x grows");
    assert.ok((points[i]?.ms ?? 0) >= (points[i - 1]?.ms ?? 0), "latency never falls with the percentile");
  }
});

it("has nothing to draw for an empty histogram", () => {
  const h = newHistogram();
  assert.deepEqual(percentileSpectrum(encodeHistogram(h)), []);
  h.destroy();
});

it("labels the axis as percentiles", () => {
  assert.equal(percentileLabel(10), "90%");
  assert.equal(percentileLabel(100), "99%");
  assert.equal(percentileLabel(1000), "99.9%");
  assert.equal(percentileLabel(100_000), "99.999%");
});
