import { rename, rm, writeFile } from "node:fs/promises";
import { scrubSecrets } from "../environment/known-secrets.js";
import { fileErrorReason } from "./file-error-reason.js";

/** A result file that could not be written: the message names the file and the reason. */
export class ResultWriteError extends Error {
  override readonly name = "ResultWriteError";
  constructor(readonly path: string, cause: NodeJS.ErrnoException) {
    super(`could not write ${path}: ${fileErrorReason(cause)}`, { cause });
  }
}

/** The name a file is written under before it is renamed into place. */
export const partialPathOf = (path: string): string => `${path}.partial`;

/**
 * Writes a whole file or nothing: into a temporary file beside it, then renamed over it, so a full
 * disk or a killed process never leaves a truncated result. A failure removes the temporary file
 * and throws a ResultWriteError. Known secrets are scrubbed from the content (known-secrets.ts).
 */
export async function writeFileAtomic(path: string, content: string): Promise<string> {
  const partial = partialPathOf(path);
  try {
    await writeFile(partial, scrubSecrets(content));
    await rename(partial, path);
    return path;
  } catch (error) {
    await rm(partial, { force: true });
    throw new ResultWriteError(path, error as NodeJS.ErrnoException);
  }
}
