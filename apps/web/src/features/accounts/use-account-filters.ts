import { useSearchParams } from 'react-router';
import { intParam } from '../../lib/page.ts';
import { withParamChanges } from '../../lib/search-params.ts';
import type { AccountListParams, AccountStatus } from './api/accounts.ts';

const STATUSES: readonly string[] = ['active', 'disabled'] satisfies AccountStatus[];

function isStatus(value: string | null): value is AccountStatus {
  return value !== null && STATUSES.includes(value);
}

/** Filters and page live in the URL, so reload, back and shared links keep them. */
export function useAccountFilters() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const filters: AccountListParams = {
    page: intParam(params.get('page'), 1),
    pageSize: intParam(params.get('pageSize'), 20, 200),
    search: params.get('search') || undefined,
    status: isStatus(status) ? status : undefined,
    roleId: params.get('roleId') || undefined,
  };

  const setFilters = (changes: Partial<Record<keyof AccountListParams, string | number | undefined>>) =>
    setParams((previous) => withParamChanges(previous, changes), { replace: true });

  return { filters, setFilters };
}
