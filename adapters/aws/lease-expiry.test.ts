import assert from "node:assert/strict";
import { it } from "node:test";
import { LeaseExpiryWatch } from "./lease-expiry.js";

it("calls a lease expired only after its counter stood still for the whole period, on the watcher's clock", () => {
  let now = 1_000;
  const watch = new LeaseExpiryWatch(500, () => now);
  assert.equal(watch.expired("s1", 7), false, "first sight starts the clock");
  now += 499;
  assert.equal(watch.expired("s1", 7), false);
  now += 1;
  assert.equal(watch.expired("s1", 7), true);
  assert.equal(watch.expired("s1", 8), false, "a renewal starts the clock again");
  now += 400;
  assert.equal(watch.expired("s1", 8), false);
  assert.equal(watch.expired("s2", 1), false, "each shard has its own clock");
});
