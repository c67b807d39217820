import type { Locale } from '@innkeeper/contracts';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-tw';
import relativeTime from 'dayjs/plugin/relativeTime';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(relativeTime);

export function applyDayjsLocale(locale: Locale): void {
  dayjs.locale(locale === 'zh-TW' ? 'zh-tw' : 'en');
}

const DATE_TIME = 'YYYY-MM-DD HH:mm:ss';
const DATE_TIME_SHORT = 'YYYY-MM-DD HH:mm';

/**
 * Formats an API timestamp in the tenant's time zone, so every staff member sees the same hotel-local time. The same
 * text as dayjs's `value.tz(zone).format(…)`, without its cost: its `tz` builds a new ICU formatter for every value
 * (`toLocaleString` with a time zone) and parses the text back, ~1 ms a date on a cold page, 40 of them in 會員's
 * first rows. One formatter per zone here, kept (test: datetime.test.ts compares the two).
 */
export function formatInZone(iso: string, timeZone: string, withSeconds = false): string {
  const value = dayjs(iso);
  if (!value.isValid()) return iso;
  const parts = zoneParts(value.valueOf(), timeZone);
  // An unknown zone name must not break a whole table: the browser's own time, as before.
  if (!parts) return value.format(withSeconds ? DATE_TIME : DATE_TIME_SHORT);
  const { year, month, day, hour, minute, second } = parts;
  return `${year}-${month}-${day} ${hour}:${minute}${withSeconds ? `:${second}` : ''}`;
}

type WallClock = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
/** One formatter per zone (undefined: a zone the browser does not know). */
const zoneFormats = new Map<string, Intl.DateTimeFormat | undefined>();

/** The wall clock in `timeZone` at `epochMs`, each field zero-padded as dayjs's YYYY, MM, DD, HH, mm, ss. */
function zoneParts(epochMs: number, timeZone: string): WallClock | undefined {
  let format = zoneFormats.get(timeZone);
  if (!zoneFormats.has(timeZone)) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    } catch {
      format = undefined;
    }
    zoneFormats.set(timeZone, format);
  }
  if (!format) return undefined;
  const clock: WallClock = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const { type, value } of format.formatToParts(epochMs)) if (type in clock) clock[type as keyof WallClock] = value;
  clock.year = clock.year.padStart(4, '0');
  return clock;
}

export function fromNow(iso: string): string {
  return dayjs(iso).fromNow();
}

export function isFuture(iso: string | null | undefined): boolean {
  return Boolean(iso) && dayjs(iso).isAfter(dayjs());
}

/** The start of the calendar day `date` in `timeZone`, as an ISO instant for API filters. */
export function startOfDayInZone(date: dayjs.Dayjs, timeZone: string): string {
  return zonedDay(date, timeZone).startOf('day').toISOString();
}

export function endOfDayInZone(date: dayjs.Dayjs, timeZone: string): string {
  return zonedDay(date, timeZone).endOf('day').toISOString();
}

function zonedDay(date: dayjs.Dayjs, timeZone: string): dayjs.Dayjs {
  try {
    return dayjs.tz(date.format('YYYY-MM-DD'), timeZone);
  } catch {
    return dayjs(date.format('YYYY-MM-DD'));
  }
}

export { dayjs };
