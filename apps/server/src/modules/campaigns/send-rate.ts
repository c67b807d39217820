/**
 * The sending rate behind 發送速度 and 剩餘時間. While a campaign sends, it is the rate since it last started or was
 * resumed: the whole send's rate would count the paused time as sending time, and after a long pause it would read
 * far too slow and the time left far too long. A finished (or paused, cancelled) campaign shows its whole send's rate:
 * its recipients over the time from the first accepted to the last, less the time it was paused in between (browser
 * review: a send paused for an hour and then finished showed a rate as if it had been sending all that hour).
 */
export type SendRateInput = {
  /** When the progress is read (ms). */
  now: number;
  /** When the campaign last started or was resumed (its row's `updatedAt` while it is sending); null when it is not sending. */
  sendingSince: number | null;
  /** Recipients LINE accepted in batches settled since `sendingSince`. */
  acceptedSince: number;
  /** All the recipients LINE accepted, and when the first and the last of them were accepted (ms; null before any). */
  accepted: number;
  firstAcceptedAt: number | null;
  lastAcceptedAt: number | null;
  /** When the campaign was paused (ms; `to` null while it still is): left out of a finished send's time. */
  pausedSpans?: ReadonlyArray<{ from: number; to: number | null }>;
};

/**
 * How long a send (or a resumed one) runs before its rate is shown: its first batch alone, accepted a moment after the
 * start, would read as a burst (browser review: 「每秒 5.1 人 · 預估剩餘 1 秒」 five seconds after a resume, for three
 * guests that took 25 s).
 */
export const MEASURE_AFTER_MS = 10_000;

/**
 * A finished send that went out within less than this shows no rate: its batches were accepted a few milliseconds
 * apart, and recipients over milliseconds read as a speed LINE does not allow (browser review: 7 guests accepted
 * 21 ms apart showed 每秒 333.3 人, above LINE's 200 requests a second, where the same send made at once showed —).
 */
export const SHORTEST_MEASURED_SEND_MS = 1000;

/** Recipients per second, or null while there is nothing to measure yet (too soon, or nothing accepted since the resume). */
export function sendRate(input: SendRateInput): number | null {
  const { now, sendingSince, acceptedSince, accepted, firstAcceptedAt, lastAcceptedAt } = input;
  if (sendingSince !== null) {
    // Up to the reading, not to the last accepted batch: while nothing is accepted (LINE slow, a long wait for the
    // pace) the rate falls and the time left grows, instead of standing still at the last batch's figure.
    if (acceptedSince === 0 || now - sendingSince < MEASURE_AFTER_MS) return null;
    return acceptedSince / ((now - sendingSince) / 1000);
  }
  if (accepted === 0 || firstAcceptedAt === null || lastAcceptedAt === null || lastAcceptedAt <= firstAcceptedAt) return null;
  const sendingMs = lastAcceptedAt - firstAcceptedAt - pausedWithin(input.pausedSpans ?? [], firstAcceptedAt, lastAcceptedAt);
  return sendingMs >= SHORTEST_MEASURED_SEND_MS ? accepted / (sendingMs / 1000) : null;
}

/** How much of [start, end] the pauses cover (ms); spans do not overlap one another (a campaign is paused once at a time). */
function pausedWithin(spans: ReadonlyArray<{ from: number; to: number | null }>, start: number, end: number): number {
  return spans.reduce((total, span) => total + Math.max(0, Math.min(end, span.to ?? end) - Math.max(start, span.from)), 0);
}

/** Seconds left for the recipients still queued at that rate: 0 with none left, null when the rate is unknown. */
export function secondsLeftAt(queued: number, rate: number | null): number | null {
  if (queued === 0) return 0;
  return rate === null ? null : Math.ceil(queued / rate);
}
