// The calendar-date and filter-time fields are part of the wire contract (packages/contracts), shared with the web app.
export { ZCalendarDate, ZFilterTime } from '@innkeeper/contracts/api';

/** PostgreSQL text cannot hold U+0000; no field we store or search has a use for it. */
export function containsNul(text: string): boolean {
  return text.includes('\u0000');
}
