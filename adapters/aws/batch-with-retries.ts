/** A batch entry as SQS's SendMessageBatch and SNS's PublishBatch take them: an id unique in its batch. */
export interface BatchEntry {
  readonly Id: string | undefined;
}

/** How SQS and SNS answer a batch: which entries were taken, which failed and whose fault it was. */
export interface BatchAnswer {
  readonly Successful?: readonly unknown[] | undefined;
  readonly Failed?: readonly { readonly Id?: string | undefined; readonly SenderFault?: boolean | undefined; readonly Code?: string | undefined; readonly Message?: string | undefined }[] | undefined;
}

/**
 * Sends `entries` with `send`, then again the entries the server failed (not the sender's fault:
 * throttled, internal error) until `maxAttempts`, each counted in `onRetried`; an entry refused as
 * the sender's fault is an error. Answers how many entries were taken. `what` names the call in errors.
 */
export async function sendBatchWithRetries<E extends BatchEntry>(
  what: string,
  entries: readonly E[],
  send: (entries: E[]) => Promise<BatchAnswer>,
  o: { readonly maxAttempts: number; readonly onRetried: (entries: number) => void },
): Promise<number> {
  let pending = [...entries];
  let taken = 0;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const answer = await send(pending);
    taken += answer.Successful?.length ?? 0;
    const failed = answer.Failed ?? [];
    const refused = failed.find((f) => f.SenderFault);
    if (refused) throw new Error(`${what} refused an event: ${refused.Code ?? "?"}: ${refused.Message ?? ""}`);
    if (failed.length > 0 && attempt >= o.maxAttempts) {
      throw new Error(`${what} failed ${failed.length} of its events ${attempt} times (last: ${failed[0]?.Code ?? "?"}: ${failed[0]?.Message ?? ""})`);
    }
    const again = new Set(failed.map((f) => f.Id));
    pending = pending.filter((p) => again.has(p.Id));
    o.onRetried(pending.length);
  }
  return taken;
}
