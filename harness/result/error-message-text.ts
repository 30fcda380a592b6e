import type { RunEntryResult } from "./result-schema.js";

type ErrorMessage = NonNullable<RunEntryResult["delivery"]["errorMessages"]>[number];

/**
 * `85 × ERR unknown command … (0.9 s to 3.9 s)`: one reason appends failed, for the CLI summary
 * and the reports. The message is a client's or server's text: control characters (an escape
 * code would act on the terminal) and line breaks become spaces.
 */
export function errorMessageText(m: ErrorMessage): string {
  const when = m.lastS > m.firstS ? `${m.firstS.toFixed(1)} s to ${m.lastS.toFixed(1)} s` : `at ${m.firstS.toFixed(1)} s`;
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return `${m.count.toLocaleString("en-US")} × ${m.message.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim()} (${when})`;
}
