import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv } from '../../../../test/harness.ts';

// A tag's name is one whatever its case or invisible characters (migration 0063's index on lower(name)): a second
// spelling is refused at the name field with the tag that has it named, and a template finds the hotel's tag in any
// spelling instead of making a near-duplicate beside it.
let env: TestEnv;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, admin } = await startSignedIn());
}, 60_000);
afterAll(() => env.close());

describe('tag names in any case', () => {
  it('refuses 「vip」 and a look-alike of 「VIP」 once 「VIP」 exists, at the name field, naming 「VIP」; a rename likewise', async () => {
    expect((await admin.post('/api/tags', { name: 'VIP', kind: 'basic' })).status).toBe(201);
    for (const name of ['vip', 'Vip', ' V\u200BIP\uFEFF ']) {
      const refused = await admin.post('/api/tags', { name, kind: 'campaign' });
      expect([refused.status, refused.body.error?.code, refused.body.error?.details], JSON.stringify(name)).toEqual([409, 'tag.name_taken', { field: 'name', name: 'VIP', tagId: expect.any(String) }]);
      expect(refused.body.error.message).toBe('已有標籤「VIP」，標籤名稱不分大小寫，請換一個名稱。');
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
