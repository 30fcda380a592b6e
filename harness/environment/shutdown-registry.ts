/**
 * Everything that must be undone when the process ends early: servers started, workers spawned.
 * Signal handlers (installed once by the CLI) run these in reverse order, so a Ctrl-C or a crash
 * never leaves a server running.
 */
type Cleanup = () => Promise<void> | void;

const cleanups = new Map<number, { label: string; run: Cleanup }>();
let nextId = 0;

export function onShutdown(label: string, run: Cleanup): () => void {
  const id = nextId++;
  cleanups.set(id, { label, run });
  return () => {
    cleanups.delete(id);
  };
}

/** Runs every registered cleanup, newest first; errors are reported, not thrown. */
export async function runShutdown(report: (label: string, error: unknown) => void = () => {}): Promise<void> {
  const pending = [...cleanups.entries()].reverse();
  cleanups.clear();
  for (const [, { label, run }] of pending) {
    try {
      await run();
    } catch (error) {
      report(label, error);
    }
  }
}

export function pendingShutdownLabels(): string[] {
  return [...cleanups.values()].map((c) => c.label);
}
