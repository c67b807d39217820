import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { systemContext } from '../../../core/context.ts';

// A tag's name is one whatever its case or invisible characters (migration 0063's index on lower(name)): a second
// spelling is refused at the name field with the tag that has it named, and a template finds the hotel's tag in any
// spelling instead of making a near-duplicate beside it.
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
}, 60_000);
afterAll(() => env.close());

describe('tag names in any case', () => {
  it('refuses 「vip」 and a look-alike of 「VIP」 once 「VIP」 exists, at the name field, naming 「VIP」; a rename likewise', async () => {
    expect((await admin.post('/api/tags', { name: 'VIP', kind: 'basic' })).status).toBe(201);
    for (const name of ['vip', 'Vip', ' V\u200BIP\uFEFF ']) {
      const refused = await admin.post('/api/tags', { name, kind: 'campaign' });
      expect([refused.status, refused.body.error?.code, refused.body.error?.details], JSON.stringify(name)).toEqual([409, 'tag.name_taken', { field: 'name', name: 'VIP', tagId: expect.any(String) }]);
      expect(refused.body.error.message).toBe('已有標籤「VIP」，標籤名稱不分大小寫與全形半形，請換一個名稱。');
    }
    const other = (await admin.post('/api/tags', { name: '常客', kind: 'basic' })).body;
    const renamed = await admin.patch(`/api/tags/${other.id}`, { name: 'vIp' });
    expect([renamed.status, renamed.body.error?.code, renamed.body.error?.details?.name]).toEqual([409, 'tag.name_taken', 'VIP']);
    // The request's transaction went on after the refused write (it ran on a savepoint): the tag kept its name.
    expect((await admin.get('/api/tags')).body.data.filter((t: { name: string }) => t.name.toLowerCase() === 'vip').map((t: { name: string }) => t.name)).toEqual(['VIP']);
    // A tag may take another case of its own name.
    const own = await admin.patch(`/api/tags/${other.id}`, { name: '常客 A' });
    expect((await admin.patch(`/api/tags/${own.body.id}`, { name: '常客 a' })).body.name).toBe('常客 a');
  });

  it('a template whose tag the hotel has in another case uses that tag and makes none', async () => {
    const before = (await admin.get('/api/tags')).body.data.length;
    const made = await admin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const vip = (await admin.get('/api/tags')).body.data.find((t: { name: string }) => t.name === 'VIP');
    expect(JSON.stringify(made.body.condition)).toContain(vip.id);
    expect((await admin.get('/api/tags')).body.data.length).toBe(before);

    // Lower case kept, 「VIP」 asked for: the same.
    await admin.patch(`/api/tags/${vip.id}`, { name: 'vip' });
    const again = await admin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(JSON.stringify(again.body.condition)).toContain(vip.id);
    expect((await admin.get('/api/tags')).body.data.length).toBe(before);
  });

  it('counts a name’s length as it is kept, and says so: 30 typed 「क़」 (U+0958) are 60 after NFC, past the 50 a tag has', async () => {
    const refused = await admin.post('/api/tags', { name: '\u0958'.repeat(30), kind: 'basic' });
    expect([refused.status, refused.body.error?.details?.issues]).toEqual([400, [expect.objectContaining({ path: 'name', message: '名稱最多 50 個字（以整理後的名稱計算：有些字元會算成兩個字）。' })]]);
    expect((await admin.post('/api/tags', { name: '\u0958'.repeat(25), kind: 'basic' })).status).toBe(201);
    const rule = await admin.post('/api/automation/rules', { name: '\u0958'.repeat(60), trigger: { kind: 'birthday', hour: 9 }, steps: [{ kind: 'send', messages: [{ type: 'text', text: '您好' }] }] });
    expect([rule.status, rule.body.error?.details?.issues?.[0]?.message]).toEqual([400, '名稱最多 100 個字（以整理後的名稱計算：有些字元會算成兩個字）。']);
  });
});

// Migration 0064: names are one under Unicode's compatibility folding too (lower(normalize(name, NFKC))), as the
// database folds them: full-width letters and digits are the plain ones. What staff typed is kept.
describe('tag names in any width', () => {
  const lookup = (names: string[]) => env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.tags.tagIdsByNames(systemContext(tx, tenant.tenantId, 'test'), names));
  const byName = (name: string) => env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.tags.findTagByName(systemContext(tx, tenant.tenantId, 'test'), name));

  it('refuses full-width Latin letters and digits once the plain name exists, and the other way round, naming the tag; keeps what was typed', async () => {
    const gold = await admin.post('/api/tags', { name: 'Gold2026', kind: 'basic' });
    expect(gold.status).toBe(201);
    for (const name of ['ＧＯＬＤ２０２６', 'gold２０２６', 'Ｇｏｌｄ2026']) {
      const refused = await admin.post('/api/tags', { name, kind: 'campaign' });
      expect([refused.status, refused.body.error?.code, refused.body.error?.details], name).toEqual([409, 'tag.name_taken', { field: 'name', name: 'Gold2026', tagId: gold.body.id }]);
    }
    const wide = await admin.post('/api/tags', { name: 'Ｐｌａｔｉｎｕｍ', kind: 'basic' });
    expect([wide.status, wide.body.name]).toEqual([201, 'Ｐｌａｔｉｎｕｍ']);
    const other = (await admin.post('/api/tags', { name: '白金', kind: 'basic' })).body;
    const renamed = await admin.patch(`/api/tags/${other.id}`, { name: 'PLATINUM' });
    expect([renamed.status, renamed.body.error?.code, renamed.body.error?.details?.name]).toEqual([409, 'tag.name_taken', 'Ｐｌａｔｉｎｕｍ']);
    // A tag may take another width of its own name; it is kept as typed.
    expect((await admin.patch(`/api/tags/${wide.body.id}`, { name: 'Platinum' })).body.name).toBe('Platinum');
  });

  it('the database decides where JavaScript’s lower case would differ: 「İNN」 is 「inn」, 「ΟΔΟΣ」 is 「οδοσ」 but not 「οδος」', async () => {
    expect('İNN'.toLowerCase()).not.toBe('inn');
    expect('ΟΔΟΣ'.toLowerCase()).toBe('οδος');
    const inn = (await admin.post('/api/tags', { name: 'İNN', kind: 'basic' })).body;
    expect((await admin.post('/api/tags', { name: 'ｉｎｎ', kind: 'basic' })).body.error).toMatchObject({ code: 'tag.name_taken', details: { tagId: inn.id } });
    const sigma = (await admin.post('/api/tags', { name: 'ΟΔΟΣ', kind: 'basic' })).body;
    expect((await admin.post('/api/tags', { name: 'οδοσ', kind: 'basic' })).body.error).toMatchObject({ code: 'tag.name_taken', details: { tagId: sigma.id } });
    const final = await admin.post('/api/tags', { name: 'οδος', kind: 'basic' });
    expect(final.status).toBe(201);
    // Imports and templates find what the index refuses: the same folding, asked of the database.
    const found = await lookup(['ｇｏｌｄ２０２６', 'GOLD2026', 'inn', 'οδοσ', 'οδος', 'ＰＬＡＴＩＮＵＭ', 'silver']);
    const gold = (await admin.get('/api/tags')).body.data.find((t: { name: string }) => t.name === 'Gold2026');
    const platinum = (await admin.get('/api/tags')).body.data.find((t: { name: string }) => t.name === 'Platinum');
    expect(Object.fromEntries(found)).toEqual({ ｇｏｌｄ２０２６: gold.id, GOLD2026: gold.id, inn: inn.id, οδοσ: sigma.id, οδος: final.body.id, ＰＬＡＴＩＮＵＭ: platinum.id });
    expect((await byName(' ｉＮＮ '))?.id).toBe(inn.id);
  });

  it('the list’s search finds a name in any width', async () => {
    const names = async (search: string) => ((await admin.get(`/api/tags?search=${encodeURIComponent(search)}`)).body.data as Array<{ name: string }>).map((t) => t.name).sort();
    expect(await names('ｇｏｌｄ')).toEqual(['Gold2026']);
    expect(await names('platin')).toEqual(['Platinum']);
    expect(await names('２０２６')).toEqual(['Gold2026']);
    // LIKE's wildcards are letters here.
    expect(await names('%')).toEqual([]);
  });

  it('a template whose tag the hotel has in full width uses that tag and makes none', async () => {
    const vip = (await admin.get('/api/tags')).body.data.find((t: { name: string }) => t.name.toLowerCase() === 'vip');
    await admin.patch(`/api/tags/${vip.id}`, { name: 'ＶＩＰ' });
    const before = (await admin.get('/api/tags')).body.data.length;
    const made = await admin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(JSON.stringify(made.body.condition)).toContain(vip.id);
    expect((await admin.get('/api/tags')).body.data.length).toBe(before);
  });
});
