import { ConfigError } from "../../harness/errors/errors.js";

/** What each setting of an adapter may be: an integer in a range, or one of a few words. */
export type SettingRules<T> = { readonly [K in keyof T]: T[K] extends number ? { readonly integer: readonly [number, number] } : { readonly oneOf: readonly T[K][] } };

/**
 * An adapter's settings (`adapterSettings.<adapter>`) read against its rules, defaults filled in:
 * an unknown name or a value outside its rule is a ConfigError naming the field and what it
 * expected.
 */
export function parseAdapterSettings<T extends { readonly [K in keyof T]: number | string }>(
  adapter: string,
  raw: Readonly<Record<string, unknown>>,
  defaults: T,
  rules: SettingRules<T>,
): T {
  const settings: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(raw)) {
    const where = `adapter settings: ${adapter}.${key}`;
    if (!(key in rules)) throw new ConfigError(where, `unknown setting; expected ${Object.keys(defaults).join(", ")}`);
    const rule = rules[key as keyof T] as { readonly integer: readonly [number, number] } | { readonly oneOf: readonly unknown[] };
    if ("oneOf" in rule) {
      if (!rule.oneOf.includes(value)) throw new ConfigError(where, `expected ${rule.oneOf.join(" or ")}, got ${JSON.stringify(value)}`);
    } else {
      const [lo, hi] = rule.integer;
      if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
        throw new ConfigError(where, `expected an integer from ${lo} to ${hi}, got ${JSON.stringify(value)}`);
      }
    }
    settings[key] = value;
  }
  return settings as T;
}
