/**
 * Errors that map onto the command line's exit codes (DESIGN.md "Bad input and failure"):
 * 2 bad usage or configuration, 3 the environment could not start.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly exitCode = 2;
  /** @param where file and field, e.g. `scenarios/x.yaml: scenarios.steady.rate` */
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

export class EnvironmentError extends Error {
  override readonly name = "EnvironmentError";
  readonly exitCode = 3;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const ExitCode = {
  ok: 0,
  failed: 1,
  badUsage: 2,
  environment: 3,
} as const;

export function exitCodeOf(error: unknown): number {
  if (error instanceof ConfigError || error instanceof EnvironmentError) return error.exitCode;
  return ExitCode.failed;
}
