import type { SystemDefinition } from "../contract/service.js";

/** The in-process reference adapter: no server, so no service. */
export const memorySystem: SystemDefinition = {
  adapters: { memory: async () => (await import("./memory-adapter.js")).memoryAdapterFactory },
};
