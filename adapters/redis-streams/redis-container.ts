import { containerControl } from "../../harness/environment/docker/container-control.js";
import { onShutdown } from "../../harness/environment/shutdown-registry.js";
import type { ServiceHandle, ServiceStartOptions } from "../contract/service.js";
import { redisServerSettings } from "./redis-server-settings.js";

/** Pinned: results name the server version, so the image must not move under them. */
export const REDIS_IMAGE = "redis:7.2.5";

/** Redis in a container (testcontainers' Redis module waits for "Ready to accept connections"). */
export async function startRedisContainer(options: ServiceStartOptions): Promise<ServiceHandle> {
  const { RedisContainer } = await import("@testcontainers/redis");
  const fsync = redisServerSettings.parse(options.settings ?? {}).appendfsync;
  const command = ["redis-server", "--enable-debug-command", "yes", ...(fsync && fsync !== "no" ? ["--appendonly", "yes", "--appendfsync", fsync] : [])];
  const started = await new RedisContainer(REDIS_IMAGE).withCommand(command).start();
  const unregister = onShutdown("stop redis container", () => started.stop().then(() => undefined));
  const url = started.getConnectionUrl();
  return {
    kind: "redis",
    endpoint: { url, display: url, provider: "docker" },
    version: REDIS_IMAGE.split(":")[1] as string,
    owned: true,
    control: containerControl(started),
    persistence: fsync && fsync !== "no" ? { appendonly: "yes", appendfsync: fsync } : { appendonly: "no", save: "image default" },
    stop: async () => {
      unregister();
      await started.stop();
    },
  };
}
