import { capabilitiesOf, type AdapterCapabilities, type AdapterFactory } from "../../adapters/contract/adapter.js";

export interface EntrySettings {
  /** The scenario's settings plus those the workload's needs turned on. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Capabilities still missing with those settings. */
  readonly missing: (keyof AdapterCapabilities)[];
  /** For a missing capability a setting could give but the scenario set otherwise: what to set. */
  readonly hints: string[];
}

/**
 * The adapter settings of one entry: a capability the workload needs that the adapter has only
 * behind a setting (redis-streams' `eventStore`) is turned on for that entry alone, so a
 * publish-consume entry of the same run does not pay for it. A setting the scenario gave
 * explicitly is never overridden: the capability then stays missing, with a hint.
 */
export function entrySettings(
  factory: AdapterFactory,
  base: Readonly<Record<string, unknown>>,
  needs: readonly (keyof AdapterCapabilities)[],
): EntrySettings {
  const settings: Record<string, unknown> = { ...base };
  for (const capability of needs) {
    const enabling = factory.capabilitySettings?.[capability];
    if (!enabling || capabilitiesOf(factory, settings)[capability] || enabling.setting in base) continue;
    settings[enabling.setting] = enabling.value;
  }
  const capabilities = capabilitiesOf(factory, settings);
  const missing = needs.filter((c) => !capabilities[c]);
  const hints = missing.flatMap((c) => {
    const enabling = factory.capabilitySettings?.[c];
    return enabling ? [`adapterSettings.${factory.name}.${enabling.setting}: ${JSON.stringify(enabling.value)} gives ${c}`] : [];
  });
  return { settings, missing, hints };
}
