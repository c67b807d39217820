import { CAMPAIGN_WEEKLY_CAP } from '@innkeeper/contracts';

/**
 * Whether a typed weekly cap is one the server takes: empty (no cap) or a whole number in 1–50. The field keeps what
 * was typed and says the range (an InputNumber's min/max would silently turn 0 into 1 on blur, and save that).
 */
export function weeklyCapValid(value: number | null): boolean {
  return value === null || (Number.isInteger(value) && value >= CAMPAIGN_WEEKLY_CAP.min && value <= CAMPAIGN_WEEKLY_CAP.max);
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** A typed time of day as the server takes it (HH:mm, 7:00 read as 07:00), or null when it is no time of day (30:00). */
export function quietTime(typed: string): string | null {
  const match = TIME.exec(typed.trim());
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : null;
}

/**
 * What is wrong with typed quiet hours, said under the field rather than corrected: a time that is none (30:00: a
 * picker would put its last value back, or 23, without a word), or the same start and end (no hours at all).
 */
export function quietHoursIssue(quiet: { start: string; end: string }): 'time' | 'same' | undefined {
  const start = quietTime(quiet.start);
  const end = quietTime(quiet.end);
  if (start === null || end === null) return 'time';
  return start === end ? 'same' : undefined;
}
