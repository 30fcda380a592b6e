import type { StartedTestContainer } from "testcontainers";
import { EnvironmentError } from "../../errors/errors.js";
import type { ServerControl } from "../../../adapters/contract/service.js";

const RESTART_UNAVAILABLE =
  "the docker provider cannot restart a server on the same port (a restarted container gets a new mapped port, which the adapters' connections cannot follow); use --env native";

/** `docker pause` / `docker unpause` of a started container, through testcontainers' runtime client. */
export function containerControl(started: StartedTestContainer): ServerControl {
  const container = async () => {
    const { getContainerRuntimeClient } = await import("testcontainers");
    return (await getContainerRuntimeClient()).container.getById(started.getId());
  };
  return {
    pause: async () => {
      await (await container()).pause();
    },
    resume: async () => {
      await (await container()).unpause();
    },
    restartUnavailable: RESTART_UNAVAILABLE,
    kill: async () => {
      throw new EnvironmentError(RESTART_UNAVAILABLE);
    },
    restart: async () => {
      throw new EnvironmentError(RESTART_UNAVAILABLE);
    },
  };
}
