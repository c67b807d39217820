import { useSearchParams } from 'react-router';
import { dayjs, startOfDayInZone } from '../../lib/datetime.ts';
import { intParam } from '../../lib/page.ts';
import { withParamChanges } from '../../lib/search-params.ts';
import type { FollowLogQuery, FriendEventFilter } from './api.ts';

/** What the URL holds: calendar days (YYYY-MM-DD) in the hotel's time zone, both ends included. */
export type FollowLogFilters = { from: string; to: string; type: FriendEventFilter | undefined; page: number; pageSize: number };

export const DEFAULT_DAYS = 30;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string | null): string | undefined {
  return value && DAY.test(value) && dayjs(value).isValid() ? value : undefined;
}

/** Today in the hotel's time zone (not the browser's). */
export function todayInZone(timeZone: string): string {
  try {
    return dayjs().tz(timeZone).format('YYYY-MM-DD');
  } catch {
    return dayjs().format('YYYY-MM-DD');
  }
}

/** Every calendar day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let cursor = dayjs(from); !cursor.isAfter(dayjs(to), 'day') && days.length < 3700; cursor = cursor.add(1, 'day')) days.push(cursor.format('YYYY-MM-DD'));
  return days;
}

export function useFollowLogFilters(timeZone: string) {
  const [params, setParams] = useSearchParams();
  const today = todayInZone(timeZone);
  let from = day(params.get('from')) ?? dayjs(today).subtract(DEFAULT_DAYS - 1, 'day').format('YYYY-MM-DD');
  let to = day(params.get('to')) ?? today;
  if (dayjs(to).isBefore(dayjs(from))) [from, to] = [to, from];
  const type = params.get('type');
  const filters: FollowLogFilters = {
    from,
    to,
    type: type === 'followed' || type === 'blocked' ? type : undefined,
    page: intParam(params.get('page'), 1),
    pageSize: intParam(params.get('pageSize'), 20, 200),
  };
  const query: FollowLogQuery = {
    ...filters,
    from: startOfDayInZone(dayjs(from), timeZone),
    // The API's end is exclusive: the start of the day after the last chosen day.
    to: startOfDayInZone(dayjs(to).add(1, 'day'), timeZone),
  };
  const setFilters = (changes: Partial<Record<keyof FollowLogFilters, string | number | undefined>>) =>
    setParams((previous) => withParamChanges(previous, changes), { replace: true });
  return { filters, query, setFilters, today };
}
