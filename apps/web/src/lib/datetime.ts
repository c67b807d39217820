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

/** Formats an API timestamp in the tenant's time zone, so every staff member sees the same hotel-local time. */
export function formatInZone(iso: string, timeZone: string, withSeconds = false): string {
  const value = dayjs(iso);
  if (!value.isValid()) return iso;
  return safeTz(value, timeZone).format(withSeconds ? DATE_TIME : DATE_TIME_SHORT);
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

function safeTz(value: dayjs.Dayjs, timeZone: string): dayjs.Dayjs {
  try {
    return value.tz(timeZone);
  } catch {
    // An unknown zone name must not break a whole table.
    return value;
  }
}

export { dayjs };
