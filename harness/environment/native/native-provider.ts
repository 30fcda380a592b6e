import type { ServiceHandle, ServiceStartOptions } from "../../../adapters/contract/service.js";
import { serviceDefinition } from "../../../adapters/registry.js";
import type { EnvironmentProvider } from "../provider.js";

const cannot = (kind: string) => `the native provider cannot start ${kind} yet`;

/** Local processes: used where Docker is not available, as on this project's CI machines. */
export class NativeProvider implements EnvironmentProvider {
  readonly name = "native" as const;

  async unavailableReason(kind: string): Promise<string | null> {
    const native = serviceDefinition(kind).native;
    return native ? native.unavailableReason() : cannot(kind);
  }

  async start(kind: string, options: ServiceStartOptions): Promise<ServiceHandle> {
    const native = serviceDefinition(kind).native;
    if (!native) throw new Error(cannot(kind));
    return native.start(options);
  }
}

/** `eventbench env prepare`: resolves a native service ahead of time (CI does this before tests). */
export async function prepareNativeService(kind: string): Promise<string> {
  const native = serviceDefinition(kind).native;
  return native ? native.prepare() : cannot(kind);
}

/** The cache folders `prepare` fills for these services, by version: what a CI cache is keyed on. */
export function nativeCacheFolders(kinds: readonly string[]): string[] {
  return kinds.flatMap((kind) => serviceDefinition(kind).native?.cacheFolder ?? []);
}
