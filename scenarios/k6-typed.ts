// A scenario written in TypeScript, as a k6 script's options are: each entry is one of k6's own
// scenario types (@types/k6) with eventbench's fields beside it, and the thresholds are k6's.
// `npm run typecheck` checks it; `eventbench run scenarios/k6-typed.ts` runs it (Node.js strips the
// types), as does the built `dist/scenarios/k6-typed.js`.
import type { EventbenchOptions } from "../harness/scenario/k6-options.js";

export const options: EventbenchOptions = {
  name: "k6-typed",
  description: "A steady open loop and a ramp, written with k6's types.",
  scenarios: {
    steady: {
      executor: "constant-arrival-rate",
      rate: 200,
      timeUnit: "1s",
      duration: "10s",
      preAllocatedVUs: 64,
      maxVUs: 256,
      workload: "publish-consume",
      warmup: "2s",
      keys: 100,
      payloadSize: 256,
    },
    ramp: {
      executor: "ramping-arrival-rate",
      startRate: 50,
      timeUnit: "1s",
      preAllocatedVUs: 64,
      stages: [
        { target: 200, duration: "5s" },
        { target: 0, duration: "3s" },
      ],
      workload: "publish-consume",
    },
  },
  thresholds: {
    lost: ["count==0"],
    errors: ["rate<0.01"],
    e2e_latency: [{ threshold: "p(99)<500", abortOnFail: false }],
  },
};
