import { useSearchParams } from 'react-router';
import { dayjs, endOfDayInZone, startOfDayInZone } from '../../lib/datetime.ts';
import { intParam } from '../../lib/page.ts';
import { withParamChanges } from '../../lib/search-params.ts';
import type { AuditQuery } from './api.ts';

/** What the URL holds: dates as calendar days (YYYY-MM-DD) in the tenant's time zone. */
export type AuditFilters = {
  page: number;
  pageSize: number;
  action?: string | undefined;
  actor?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string | null): string | undefined {
  return value && DAY.test(value) && dayjs(value).isValid() ? value : undefined;
}

export function useAuditFilters(timeZone: string) {
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = {
    page: intParam(params.get('page'), 1),
    pageSize: intParam(params.get('pageSize'), 20, 200),
    action: params.get('action') || undefined,
    actor: params.get('actor') || undefined,
    targetType: params.get('targetType') || undefined,
    targetId: params.get('targetId') || undefined,
    from: day(params.get('from')),
    to: day(params.get('to')),
  };

  const query: AuditQuery = {
    ...filters,
    from: filters.from ? startOfDayInZone(dayjs(filters.from), timeZone) : undefined,
    to: filters.to ? endOfDayInZone(dayjs(filters.to), timeZone) : undefined,
  };

  const setFilters = (changes: Partial<Record<keyof AuditFilters, string | number | undefined>>) =>
    setParams((previous) => withParamChanges(previous, changes), { replace: true });

  return { filters, query, setFilters };
}
