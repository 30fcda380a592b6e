import type { EventContext, Receiver, Sender, Source } from "rhea";
import { ArtemisConnection, reasonOf } from "./artemis-connection.js";

/** The broker's management address: a request goes there, its answer to the request's `reply_to`. */
const MANAGEMENT_ADDRESS = "activemq.management";
/** A request not answered within this is abandoned and its link dropped: no call waits for ever on a broker that stopped answering. */
const REQUEST_TIMEOUT_MS = 5_000;

/** The broker answered that the operation failed (a resource that is not there, a name that exists): its message. */
export class ManagementFailure extends Error {}

/** What one request reads or calls: an attribute (`messageCount`) or an operation with its arguments. */
export type ManagementRequest =
  | { readonly resource: string; readonly attribute: string }
  | { readonly resource: string; readonly operation: string; readonly args?: readonly unknown[] };

interface ManagementLink {
  readonly connection: ArtemisConnection;
  readonly requests: Sender;
  readonly replies: Receiver;
  readonly replyTo: string;
}

function opened<T extends Sender | Receiver>(link: T, event: "sender_open" | "receiver_open", what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Artemis broker did not open the ${what} within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
    link.once(event, () => {
      clearTimeout(timer);
      resolve(link);
    });
    link.once(event === "sender_open" ? "sender_error" : "receiver_error", (context: EventContext) => {
      clearTimeout(timer);
      reject(new Error(`the Artemis broker refused the ${what}: ${reasonOf((context.sender ?? context.receiver)?.error)}`));
    });
  });
}

/**
 * Artemis's management API over AMQP, on a connection of its own (never the producers' or the
 * consumers'): one request at a time, each bounded by REQUEST_TIMEOUT_MS. A request that times out
 * or whose connection was lost drops the link, and the next request opens a new one, so a late
 * answer can never be taken for the next request's.
 */
export class ArtemisManagement {
  private link: ManagementLink | undefined;
  private opening: Promise<ManagementLink> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;

  constructor(private readonly url: string) {}

  /** The attribute's value or the operation's result, as the broker's JSON answer has it. */
  call(request: ManagementRequest): Promise<unknown> {
    const run = this.queue.then(() => this.send(request));
    this.queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    const link = this.link;
    this.link = undefined;
    await link?.connection.close();
  }

  private async send(request: ManagementRequest): Promise<unknown> {
    const link = await this.open();
    const id = `eventbench-${++this.nextId}`;
    const properties: Record<string, string> = { _AMQ_ResourceName: request.resource };
    if ("attribute" in request) properties._AMQ_Attribute = request.attribute;
    else properties._AMQ_OperationName = request.operation;
    const body = "attribute" in request ? "[]" : JSON.stringify(request.args ?? []);
    const what = `${request.resource} ${"attribute" in request ? request.attribute : request.operation}`;
    const reply = await new Promise<EventContext>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`the Artemis broker did not answer the management request ${what} within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
      const onMessage = (context: EventContext) => {
        if (context.message?.correlation_id === id) finish(undefined, context);
      };
      const unwatch = link.connection.onLost(() => finish(new Error(`the management connection to the Artemis broker was lost during ${what}`)));
      const finish = (error: Error | undefined, context?: EventContext) => {
        clearTimeout(timer);
        unwatch();
        link.replies.removeListener("message", onMessage);
        if (error) {
          this.drop(link);
          reject(error);
        } else resolve(context as EventContext);
      };
      link.replies.on("message", onMessage);
      link.requests.send({ message_id: id, reply_to: link.replyTo, application_properties: properties, body });
    });
    const succeeded = reply.message?.application_properties?._AMQ_OperationSucceeded === true;
    const answer = parseAnswer(reply.message?.body);
    if (!succeeded) throw new ManagementFailure(`${what}: ${typeof answer === "string" ? answer : JSON.stringify(answer)}`);
    return answer;
  }

  private drop(link: ManagementLink): void {
    if (this.link === link) this.link = undefined;
    link.connection.destroy();
  }

  private async open(): Promise<ManagementLink> {
    if (this.link && !this.link.connection.broken) return this.link;
    this.link = undefined;
    this.opening ??= (async () => {
      const connection = await ArtemisConnection.open(this.url);
      try {
        const replies = await opened(connection.connection.open_receiver({ source: { dynamic: true } as Source, autoaccept: true }), "receiver_open", "management reply link");
        const requests = await opened(connection.connection.open_sender({ target: { address: MANAGEMENT_ADDRESS } }), "sender_open", "management request link");
        const replyTo = replies.source?.address;
        if (typeof replyTo !== "string") throw new Error("the Artemis broker gave the management reply link no address");
        return { connection, requests, replies, replyTo };
      } catch (error) {
        connection.destroy();
        throw error;
      }
    })().finally(() => {
      this.opening = undefined;
    });
    this.link = await this.opening;
    return this.link;
  }
}

/** The broker answers with a JSON array holding the one result (`[5]`, `[["a","b"]]`), or no body for a void or null result. */
function parseAnswer(body: unknown): unknown {
  if (typeof body !== "string") return null;
  try {
    const parsed = JSON.parse(body) as unknown;
    return Array.isArray(parsed) && parsed.length === 1 ? parsed[0] : parsed;
  } catch {
    return body;
  }
}
