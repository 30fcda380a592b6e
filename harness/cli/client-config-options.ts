import { Option, type Command } from "commander";
import { resolve } from "node:path";
import { serviceDefinitions } from "../../adapters/registry.js";
import type { ClientConfigFile } from "../../adapters/contract/service.js";

/** The services that take a client settings file, each with its `--<service>-config` option. */
function clientConfigOptions(): { readonly option: Option; readonly file: ClientConfigFile }[] {
  return serviceDefinitions().flatMap((d) =>
    d.clientConfig ? [{ option: new Option(`--${d.name}-config <file>`, `${d.clientConfig.description} (same as ${d.clientConfig.variable}=FILE)`), file: d.clientConfig }] : [],
  );
}

/**
 * Adds `--<service>-config FILE` for every service with a client settings file (`--kafka-config`).
 * Before the command runs, each given flag sets its variable (the role workers inherit it), and
 * every file named either way is read: a bad one is refused (exit 2) before anything starts, and
 * its secrets are known to the scrubber before anything is printed.
 */
export function addClientConfigOptions(command: Command): Command {
  const options = clientConfigOptions();
  for (const { option } of options) command.addOption(option);
  return command.hook("preAction", async (_, action) => {
    for (const { option, file } of options) {
      const given = action.getOptionValue(option.attributeName()) as string | undefined;
      if (given !== undefined) process.env[file.variable] = resolve(given);
      const named = process.env[file.variable]?.trim();
      if (named) await file.endpointOf(resolve(named));
    }
  });
}
