import { EnvironmentError } from "../../errors/errors.js";

/**
 * Waits until a started container's server answers a real request (a listening port comes before
 * the server handles requests); past `timeoutMs` the container is stopped and the error says
 * what did not answer and where its log is.
 */
export async function untilContainerAnswers(
  answers: () => Promise<boolean>,
  o: { readonly timeoutMs: number; readonly stop: () => Promise<void>; readonly silent: string; readonly logFile: string },
): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  while (!(await answers().catch(() => false))) {
    if (Date.now() > deadline) {
      await o.stop();
      throw new EnvironmentError(`${o.silent} within ${o.timeoutMs} ms; its log is ${o.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
