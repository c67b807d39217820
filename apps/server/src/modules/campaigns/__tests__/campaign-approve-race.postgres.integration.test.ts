import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv } from '../../../../test/harness.ts';

/**
 * The attack review: two approvers press 「立即發送」 on the same draft at the same moment. On PostgreSQL
 * (TEST_DATABASE_URL), where the two requests' transactions really overlap, exactly one approval wins; the other is
 * told the campaign changed, and the approval is recorded once.
 */
let env: TestEnv;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, admin } = await startSignedIn());
  expect(env.engine).toBe('postgres');
  await env.runtime.queue.start({ work: false });
}, 120_000);
afterAll(() => env.close());

describe('double approval of one campaign', () => {
  it('two send-now approvals at once: one wins, the other is refused, one audit entry', async () => {
    for (let round = 0; round < 5; round += 1) {
      const created = await admin.post('/api/campaigns', { name: `並行核准 ${round}`, propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '平日優惠' }] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const approvals = await Promise.all([0, 1].map(() => admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true })));
      expect(approvals.map((a) => a.status).sort()).toEqual([200, 409]);
      const audit = await admin.get(`/api/audit-log?action=campaign.scheduled&targetId=${created.body.id}`);
      expect(audit.body.data).toHaveLength(1);
    }
  }, 120_000);
});
