import { describeAdapterContract } from "../contract/contract-suite.js";
import { memoryAdapterFactory } from "./memory-adapter.js";

describeAdapterContract({
  factory: memoryAdapterFactory,
  start: async () => ({ endpoint: { url: "memory:", display: "memory:", provider: "in-process" }, stop: async () => {} }),
  deliveryTimeoutMs: 2_000,
});
