import { spawn } from "node:child_process";

/**
 * A server must die with the harness however the harness dies: Ctrl-C and crashes run the
 * shutdown registry, but a SIGKILL, a V8 out-of-memory abort or a closed terminal (SIGHUP) run
 * nothing, and the server (its own process group, so Ctrl-C reaches the harness first) kept
 * running: a Kafka JVM of ~400 MB, a DynamoDB Local listening on every interface.
 *
 * The watchdog is a tiny shell loop beside each server, in a process group of its own (a kill of
 * the harness's group spares it): while the harness lives it checks every second; when the harness
 * is gone it stops the server's whole group (SIGCONT for a paused one, SIGTERM, then SIGKILL after
 * `graceS`), and it ends by itself when the server does. The pid files of `leftover-servers.ts`
 * catch what even the watchdog cannot (the watchdog itself killed).
 */
const WATCHDOG = `
harness=$1; server=$2; grace=$3
while kill -0 "$harness" 2>/dev/null; do
  kill -0 "$server" 2>/dev/null || exit 0
  sleep 1
done
kill -CONT -"$server" 2>/dev/null
kill -TERM -"$server" 2>/dev/null
i=0
while kill -0 "$server" 2>/dev/null && [ "$i" -lt "$grace" ]; do sleep 1; i=$((i + 1)); done
kill -KILL -"$server" 2>/dev/null
exit 0
`;

/** Starts the watchdog of server `serverPid` (a process-group leader); returns its pid. */
export function watchServer(serverPid: number, graceS = 10): number | undefined {
  const watchdog = spawn("/bin/sh", ["-c", WATCHDOG, "eventbench-watchdog", String(process.pid), String(serverPid), String(graceS)], {
    detached: true,
    stdio: "ignore",
  });
  watchdog.on("error", () => {
    // No /bin/sh: the pid file still lets the next start and `env status` find the server.
  });
  watchdog.unref();
  return watchdog.pid;
}
