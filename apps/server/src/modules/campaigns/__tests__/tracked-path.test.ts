import { describe, expect, it } from 'vitest';
import { trackedPath } from '../campaign-clicks.routes.ts';

const tenant = '0190f3a2-7c1e-7d3b-9a4f-2b6c8d0e1f23';
const link = 'AZDzonweHX06mk8rbI0OHyMAAAAB-u1.q3_Xk-9sZ';

describe('the tracked path the direct redirect takes (decision 0016)', () => {
  it('takes the canonical shape, with or without a query (which the route ignores too)', () => {
    expect(trackedPath(`/c/${tenant}/${link}`)).toEqual({ tenantId: tenant, link });
    expect(trackedPath(`/c/${tenant}/${link}?utm_source=line`)).toEqual({ tenantId: tenant, link });
    expect(trackedPath(`/c/${tenant}/${link}?`)).toEqual({ tenantId: tenant, link });
    // Garbage in the canonical shape is taken: the signature check refuses it, as the route's would.
    expect(trackedPath('/c/x/y')).toEqual({ tenantId: 'x', link: 'y' });
    expect(trackedPath(`/c/x/${'y'.repeat(100)}`)).toEqual({ tenantId: 'x', link: 'y'.repeat(100) });
  });

  it('leaves everything the router could read differently to the route', () => {
    for (const url of [
      `/c/${tenant}/${link}%00`, // decoded by the router
      `/c/${tenant}%2F/${link}`,
      `/c/${tenant}/${link}/`, // a trailing slash: no match in the router
      `/c/${tenant}/${link}/more`,
      `/c/${tenant}/${link}#fragment`,
      `/c/${tenant}/${link};jsessionid=1`,
      `/c/${tenant}`,
      '/c/invalid', // the invalid-link page
      `/c//${link}`,
      `/c/${tenant}/`,
      `/C/${tenant}/${link}`,
      `/c/x/${'y'.repeat(101)}`, // over the router's parameter length: its 414
      `//c/${tenant}/${link}`,
      `/c/${tenant}/ä${link}`,
    ]) expect({ url, taken: trackedPath(url) }).toEqual({ url, taken: undefined });
  });
});
