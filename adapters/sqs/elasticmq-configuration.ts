import { join } from "node:path";

/** The region and account the queue URLs and ARNs name; ElasticMQ checks no signature. */
const REGION = "us-east-1";

/**
 * ElasticMQ's configuration (HOCON, on top of the server's own defaults): the SQS API on
 * `bindHost` only (127.0.0.1 natively), queue URLs naming that address, SQS's strict limits
 * (message size, batch of 10, names), no statistics endpoint, and with `persist` its H2 database
 * (which keeps the queues as well as their messages).
 */
export function elasticMqConfiguration(o: { readonly port: number; readonly bindHost: string; readonly storageDir: string | null }): string {
  const { port, bindHost, storageDir } = o;
  const storage = storageDir
    ? [
        // H2 flushes a commit after WRITE_DELAY (500 ms by default): with it, messages sent just
        // before a kill were lost here (the queue came back empty). 0 writes each commit at once, to
        // the operating system, not fsynced: it survives the process, not the machine.
        `messages-storage { enabled = true, uri = ${JSON.stringify(`jdbc:h2:${join(storageDir, "messages")};WRITE_DELAY=0`)} }`,
      ]
    : [];
  return [
    'include classpath("application.conf")',
    `node-address { protocol = "http", host = "${bindHost}", port = ${port}, context-path = "" }`,
    `rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "${bindHost}", sqs-limits = strict }`,
    "rest-stats { enabled = false }",
    "generate-node-address = false",
    `aws { region = "${REGION}", accountId = "000000000000" }`,
    ...storage,
    "",
  ].join("\n");
}
