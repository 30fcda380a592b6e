/**
 * `eventbench run … | head` closes stdout while the run goes on; `2>&1 | head` closes stderr too.
 * Node reports a write to a closed pipe as an `error` event on the stream, which, unheard, becomes
 * an uncaught exception: the run died with `write EPIPE` and lost what it measured, and the crash
 * handler, writing its message to the closed stderr, raised the same error again, forever.
 * With a listener the stream is marked destroyed and later writes are dropped: what is printed
 * is lost, the run and its result files are not.
 */
export function tolerateClosedOutput(onClosed: (stream: "stdout" | "stderr", error: Error) => void = () => {}): void {
  for (const [name, stream] of [["stdout", process.stdout], ["stderr", process.stderr]] as const) {
    stream.on("error", (error: Error) => onClosed(name, error));
  }
}

/** Writes to stderr unless it is gone; never throws (the crash handler must not crash). */
export function writeStderr(text: string): void {
  if (process.stderr.destroyed || !process.stderr.writable) return;
  try {
    process.stderr.write(text);
  } catch {
    // nothing left to tell it to
  }
}
