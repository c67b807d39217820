import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv } from '../../../../test/harness.ts';

// Issue 9: searching a member by the full national ID or passport number found nothing; the number is stored only
// encrypted and as a blind index, so the search must match the blind index exactly, and such a search is audited.
let env: TestEnv;
let admin: ApiClient;
const ids: Record<string, string> = {};

async function search(q: string): Promise<string[]> {
  const response = await admin.post('/api/members/search', { q });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.map((m: { id: string }) => m.id);
}

async function identitySearches(): Promise<Array<{ details: Record<string, unknown> }>> {
  const response = await admin.get(`/api/audit-log?action=${encodeURIComponent('member.identity_searched')}&pageSize=200`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

beforeAll(async () => {
  ({ env, admin } = await startSignedIn());
  const create = async (key: string, body: Record<string, unknown>) => {
    const created = await admin.post('/api/members', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[key] = created.body.id;
  };
  await create('wang', { lastName: '王', firstName: '小明', identity: { type: 'national_id', number: 'F123456702' } });
  await create('nguyen', { lastName: 'Nguyen', firstName: 'An', identity: { type: 'resident_certificate', number: 'A800000005' } });
  await create('tanaka', { lastName: 'Tanaka', firstName: 'Yuki', identity: { type: 'passport', number: 'TK1234567', passportCountry: 'JP' } });
  await create('other', { lastName: '李', firstName: '四', mobile: '0912000111' });
});
afterAll(() => env.close());

describe('member search by ID or passport number', () => {
  it('finds the member by the whole number, typed as staff type it, through the blind index', async () => {
    expect(await search('F123456702')).toEqual([ids.wang]);
    expect(await search(' f123-456-702 ')).toEqual([ids.wang]);
    expect(await search('Ｆ１２３４５６７０２')).toEqual([ids.wang]);
    expect(await search('a800000005')).toEqual([ids.nguyen]);
    expect(await search('tk1234567')).toEqual([ids.tanaka]);
    expect((await admin.post('/api/members/count', { q: 'TK 1234567' })).body.count).toBe(1);
  });

  it('matches only whole numbers: part of a number, or another valid number, finds no one', async () => {
    expect(await search('F1234567')).toEqual([]);
    expect(await search('123456702')).toEqual([]);
    expect(await search('B900000008')).toEqual([]);
  });

  it('audits each identity search with the number masked, and leaves other searches unaudited', async () => {
    const before = (await identitySearches()).length;
    await search('F123456702');
    await search('王小明');
    await search('0912-000-111');
    const entries = await identitySearches();
    expect(entries.length).toBe(before + 1);
    expect(entries[0]!.details).toEqual({ identityType: 'national_id', identityNumber: 'F12*****02' });
    expect(JSON.stringify(entries)).not.toContain('F123456702');
    expect(JSON.stringify(entries)).not.toContain('TK1234567');
  });

  it('audits a count, an export and a bulk tag by ID number too, and no audit entry holds the whole number', async () => {
    const before = (await identitySearches()).length;
    expect((await admin.post('/api/members/count', { q: 'F123456702' })).body.count).toBe(1);
    expect((await admin.post('/api/members/export', { audience: { q: 'F123456702' }, format: 'csv' })).status).toBe(200);
    const tag = await admin.post('/api/tags', { name: '證件搜尋', kind: 'basic' });
    const tagged = await admin.post('/api/members/bulk-tag', { audience: { q: 'F123456702' }, tagId: tag.body.id, change: 'add' });
    expect(tagged.body).toEqual({ changed: 1, audience: 1 });
    // The count and the export asked who holds the number; the bulk tag's own entry names the (masked) search.
    expect((await identitySearches()).length).toBe(before + 2);
    const log = await admin.get('/api/audit-log?pageSize=200');
    expect(log.status).toBe(200);
    const text = JSON.stringify(log.body.data);
    expect(text).not.toContain('F123456702');
    const exported = log.body.data.find((e: { action: string }) => e.action === 'member.exported');
    const bulk = log.body.data.find((e: { action: string }) => e.action === 'tag.bulk_assigned');
    expect([exported.details.audience.q, bulk.details.audience.q]).toEqual(['F12*****02', 'F12*****02']);
  });
});
