import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { connectionOptions } from "./nats-connection.js";

/**
 * Readiness: a real connection is accepted and JetStream answers an account-info request (the
 * port opens before JetStream has recovered its store).
 */
export async function natsAnswers(url: string): Promise<boolean> {
  let nc;
  try {
    nc = await connect({ ...connectionOptions(url), timeout: 1_000, reconnect: false });
    const jsm = await jetstreamManager(nc, { timeout: 1_000 });
    await jsm.getAccountInfo();
    return true;
  } catch {
    return false;
  } finally {
    await nc?.close().catch(() => {});
  }
}
