import { parseAdapterSettings, type SettingRules } from "../contract/adapter-settings.js";

export interface ArtemisSettings {
  /** Unsettled deliveries the broker may send each member ahead of its acknowledgements (the receiver's credit window). */
  readonly credit: number;
  /**
   * `durable`: messages marked durable, settled once the broker's journal write was synced;
   * `non-durable`: kept in memory only, settled at once (a broker kill loses them).
   */
  readonly messages: "durable" | "non-durable";
}

const DEFAULTS: ArtemisSettings = { credit: 100, messages: "durable" };
const RULES: SettingRules<ArtemisSettings> = {
  credit: { integer: [1, 10_000] },
  messages: { oneOf: ["durable", "non-durable"] },
};

export function parseArtemisSettings(raw: Readonly<Record<string, unknown>> = {}): ArtemisSettings {
  return parseAdapterSettings("artemis", raw, DEFAULTS, RULES);
}
