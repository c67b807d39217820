import { CAMPAIGN_STATUSES, type CampaignStatus } from '@innkeeper/contracts';
import { useSearchParams } from 'react-router';
import { intParam } from '../../lib/page.ts';
import { withParamChanges } from '../../lib/search-params.ts';

function isStatus(value: string | null): value is CampaignStatus {
  return value !== null && (CAMPAIGN_STATUSES as readonly string[]).includes(value);
}

/** The status filter and the page live in the URL, so reload, back and a shared link keep them. */
export function useCampaignFilters() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const filters = {
    status: isStatus(status) ? status : undefined,
    page: intParam(params.get('page'), 1),
    pageSize: intParam(params.get('pageSize'), 20, 100),
  };
  const setFilters = (changes: Partial<Record<keyof typeof filters, string | number | undefined>>) => setParams((previous) => withParamChanges(previous, changes), { replace: true });
  return { filters, setFilters };
}
