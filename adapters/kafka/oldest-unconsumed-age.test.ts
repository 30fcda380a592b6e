import assert from "node:assert/strict";
import { it } from "node:test";
import { oldestUnconsumedTimestampMs } from "./oldest-unconsumed-age.js";

/** Two partitions whose records were appended at known times. */
const log: Record<number, number[]> = {
  0: [1_000, 2_000, 3_000, 9_000],
  1: [1_500, 2_500, 8_000],
};
const offsetsAt = async (t: number) =>
  new Map(
    Object.entries(log).map(([p, times]) => {
      const i = times.findIndex((ts) => ts >= t);
      return [Number(p), i === -1 ? times.length : i] as [number, number];
    }),
  );

it("finds the append time of the oldest uncommitted record across partitions", async () => {
  // partition 0 committed up to offset 2 (next: the record of t=3000), partition 1 up to 1 (t=2500)
  assert.equal(await oldestUnconsumedTimestampMs(offsetsAt, new Map([[0, 2], [1, 1]]), 10_000), 2_500);
  assert.equal(await oldestUnconsumedTimestampMs(offsetsAt, new Map([[0, 3]]), 10_000), 9_000);
  assert.equal(await oldestUnconsumedTimestampMs(offsetsAt, new Map([[1, 0]]), 100_000), 1_500);
});
