import { InProcessReadModel } from "./in-process-read-model.js";
import type { ReadModel, ReadModelSpec } from "./read-model.js";
import { RedisHashReadModel } from "./redis-hash-read-model.js";

/** The read model a spec names, opened in the thread that projects into it and queries it. */
export async function openReadModel(spec: ReadModelSpec): Promise<ReadModel> {
  return spec.kind === "redis-hash" ? await RedisHashReadModel.open(spec.url, spec.prefix, spec.keys) : new InProcessReadModel();
}
