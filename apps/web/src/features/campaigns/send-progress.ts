/** The figures of a send the progress bar is drawn from (the server's progress, in part). */
export type SendCounts = { accepted: number; queued: number; failed: number; cancelled: number };

/**
 * The progress bar of a send: the share of the recipients meant to be sent that LINE accepted. Recipients not sent
 * because the campaign was cancelled stay in what it set out to send, so a cancelled campaign's bar stops where the
 * send stopped (已送出 3 / 7) rather than claiming 100 % of what was left; skipped guests were never meant to be sent.
 */
export function sendProgressBar(counts: SendCounts): { percent: number; sent: number; of: number } {
  const of = counts.accepted + counts.queued + counts.failed + counts.cancelled;
  // Nothing meant to be sent (every guest skipped) is a send with nothing left to do.
  if (of === 0) return { percent: 100, sent: 0, of: 0 };
  return { percent: Math.floor((counts.accepted * 100) / of), sent: counts.accepted, of };
}
