import { errorMessage } from '@innkeeper/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/core/db/database.ts';
import { isLineUserId, LINE_USER_ID } from '../src/modules/line/line-user-id.ts';
import { anotherHotel, signedInAs, startSignedIn, ApiClient, latestLinkToken, type ApiResponse } from './api-client.ts';
import { commitAndWait, csvText, uploadAndCheck } from '../src/modules/member-transfer/__tests__/transfer-helpers.ts';
import { type TestEnv, type TestTenant } from './harness.ts';

/**
 * Attack review 2026-12-07c (atk4) of the session's tag names unique in any case (migration 0063, tag.name_taken
 * naming the holder), errorMessage's {placeholders}, template free names, bounded pause spans and the one LINE user
 * id rule. Runs on PGlite and on PostgreSQL (TEST_DATABASE_URL); the races are in the .postgres file. Every test
 * asserts the safe behaviour; what failed is in attack-review-2026-12-07c-failing.integration.test.ts.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let otherAdmin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  await env.runtime.queue.start({ work: true }); // a member import's jobs (the tag names test)
  ({ otherAdmin } = await anotherHotel(env, 'atk4-other'));
}, 120_000);
afterAll(() => env.close());

const show = (r: ApiResponse) => [r.status, r.body.error?.code ?? r.body.name];
let staffCount = 0;

/** A signed-in account of our hotel with a role of exactly these permissions (or a built-in role's). */
async function staffWith(role: { permissions: string[] } | { builtinKey: string }, propertyIds?: string[]): Promise<ApiClient> {
  staffCount += 1;
  let roleId: string;
  if ('builtinKey' in role) {
    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string | null }>;
    roleId = roles.find((r) => r.builtinKey === role.builtinKey)!.id;
  } else {
    const made = await admin.post('/api/roles', { name: `atk4 角色 ${staffCount}`, permissions: role.permissions });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    roleId = made.body.id;
  }
  const email = `atk4-${staffCount}-${Date.now()}@atk4.example`;
  const created = await admin.post('/api/accounts', { email, displayName: `同仁 ${staffCount}`, roleId, allProperties: propertyIds === undefined, propertyIds: propertyIds ?? [] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

describe('tag.name_taken and other hotels', () => {
  it('holds: another hotel’s 「VIP」 neither blocks nor is named by our 「vip」; our own repeat names our tag and its id only', async () => {
    const theirs = await otherAdmin.post('/api/tags', { name: 'VIP 機密', kind: 'basic' });
    expect(theirs.status).toBe(201);
    const ours = await admin.post('/api/tags', { name: 'vip 機密', kind: 'basic' });
    expect(show(ours)).toEqual([201, 'vip 機密']);
    const again = await admin.post('/api/tags', { name: 'Vip 機密', kind: 'basic' });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ field: 'name', name: 'vip 機密', tagId: ours.body.id });
    expect(JSON.stringify(again.body)).not.toContain(theirs.body.id);
    expect(JSON.stringify(again.body)).not.toContain('VIP 機密');
  });

  it('holds: renaming our tag to another hotel’s tag name in another case is allowed; to our own other tag’s is refused naming ours', async () => {
    await otherAdmin.post('/api/tags', { name: '金卡會員', kind: 'basic' });
    const a = await admin.post('/api/tags', { name: '銀卡會員', kind: 'basic' });
    const b = await admin.post('/api/tags', { name: 'Gold 會員', kind: 'basic' });
    expect(show(await admin.patch(`/api/tags/${a.body.id}`, { name: '金卡會員' }))).toEqual([200, '金卡會員']);
    const refused = await admin.patch(`/api/tags/${b.body.id}`, { name: '\u200B金卡會員 ' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual({ field: 'name', name: '金卡會員', tagId: a.body.id });
  });

  it('holds: another hotel’s tag id is not found by PATCH or DELETE, even with a name that collides in that hotel', async () => {
    const theirs = await otherAdmin.post('/api/tags', { name: '他館標籤', kind: 'basic' });
    await otherAdmin.post('/api/tags', { name: '他館標籤二', kind: 'basic' });
    const patched = await admin.patch(`/api/tags/${theirs.body.id}`, { name: '他館標籤二' });
    expect([patched.status, patched.body.error?.code]).toEqual([404, 'tag.not_found']);
    expect((await admin.delete(`/api/tags/${theirs.body.id}`)).status).toBe(404);
    expect((await otherAdmin.get('/api/tags')).body.data.map((t: { name: string }) => t.name)).toContain('他館標籤');
  });

  it('holds: a tag renamed to its own name in another case is no conflict with itself', async () => {
    const made = await admin.post('/api/tags', { name: 'Early Bird', kind: 'basic' });
    expect(show(await admin.patch(`/api/tags/${made.body.id}`, { name: 'EARLY BIRD' }))).toEqual([200, 'EARLY BIRD']);
    expect(show(await admin.patch(`/api/tags/${made.body.id}`, { name: 'EARLY BIRD', description: '改說明' }))).toEqual([200, 'EARLY BIRD']);
  });

  it('holds: names that only look alike (invisible characters, decomposed accents, bidi controls) are the same name', async () => {
    const made = await admin.post('/api/tags', { name: 'Café 常客', kind: 'basic' });
    expect(made.status).toBe(201);
    for (const lookAlike of ['Cafe\u0301 常客', 'CAFÉ 常客', 'ca\u00ADfé 常客', '\u202Acafé 常客\u202C', 'café\u3000常客'.replace('\u3000', ' '), ' café 常客\u3000', 'ca\u200Dfé\uFE0F 常客']) {
      const again = await admin.post('/api/tags', { name: lookAlike, kind: 'basic' });
      expect([again.status, again.body.error?.details?.tagId], JSON.stringify(lookAlike)).toEqual([409, made.body.id]);
    }
  });

  it('holds: an account whose role cannot edit tags gets 403 before the name is looked at (no 409 naming a tag)', async () => {
    await admin.post('/api/tags', { name: '管理層看不到', kind: 'basic' });
    const management = await staffWith({ builtinKey: 'management' });
    for (const answer of [await management.post('/api/tags', { name: '管理層看不到', kind: 'basic' }), await management.post('/api/tags', { name: '全新', kind: 'basic' })]) {
      expect([answer.status, answer.body.error?.code]).toEqual([403, 'auth.forbidden']);
      expect(JSON.stringify(answer.body)).not.toContain('管理層看不到');
    }
  });

  it('holds: a role with tags.edit and not members.read may not read the tag list, so its 409 names only what it typed (no holder spelling, no id)', async () => {
    const held = await admin.post('/api/tags', { name: 'Secret Tier', kind: 'basic' });
    const staff = await staffWith({ permissions: ['tags.edit'] });
    expect((await staff.get('/api/tags')).status).toBe(403);
    const refused = await staff.post('/api/tags', { name: 'secret tier', kind: 'basic' });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'tag.name_taken']);
    expect(refused.body.error.details).toEqual({ field: 'name', name: 'secret tier' });
    expect(JSON.stringify(refused.body)).not.toContain(held.body.id);
    expect(JSON.stringify(refused.body)).not.toContain('Secret Tier');
  });

  it('holds: a property-limited 行銷 account sees every tag of the hotel anyway (tags are the hotel’s, not a property’s), so the 409 tells it nothing new', async () => {
    const secret = await admin.post('/api/tags', { name: '館別限定', kind: 'basic' });
    const marketing = await staffWith({ builtinKey: 'marketing' }, [tenant.propertyIds[0]!]);
    expect((await marketing.get('/api/tags')).body.data.map((t: { id: string }) => t.id)).toContain(secret.body.id);
    expect((await marketing.post('/api/tags', { name: '館別限定', kind: 'basic' })).body.error.details.tagId).toBe(secret.body.id);
  });

  it('holds: the server refuses a write carrying account A’s CSRF token under account B’s session (the stale tab’s backstop)', async () => {
    const staleTab = await staffWith({ builtinKey: 'marketing' });
    const oldToken = staleTab.csrfToken!;
    const bClient = await staffWith({ builtinKey: 'marketing' });
    // The browser's cookie is now B's; the old tab still holds A's token.
    staleTab.cookie = bClient.cookie;
    staleTab.csrfToken = oldToken;
    for (const answer of [await staleTab.post('/api/tags', { name: '舊分頁', kind: 'basic' }), await staleTab.patch('/api/tags/01900000-0000-7000-8000-000000000001', { name: 'x' })]) {
      expect([answer.status, answer.body.error?.code]).toEqual([403, 'auth.csrf_invalid']);
    }
    expect(((await admin.get('/api/tags')).body.data as Array<{ name: string }>).map((t) => t.name)).not.toContain('舊分頁');
    // Without any token, the same.
    staleTab.csrfToken = undefined;
    expect((await staleTab.post('/api/tags', { name: '舊分頁', kind: 'basic' })).status).toBe(403);
  });

  it('holds: bad input is a 400 at the field, never a 500 (empty, only invisible, too long as kept, wrong types, huge)', async () => {
    const bad: unknown[] = [
      { name: '', kind: 'basic' },
      { name: '\u200B\u2060\u3164', kind: 'basic' },
      { name: '\u0958'.repeat(26), kind: 'basic' },
      { name: 'x'.repeat(51), kind: 'basic' },
      { name: 'x'.repeat(1_000_000), kind: 'basic' },
      { name: 42, kind: 'basic' },
      { name: ['VIP'], kind: 'basic' },
      { name: { toString: 'VIP' }, kind: 'basic' },
      { name: 'ok\u0000', kind: 'basic' },
      { name: 'VIP', kind: 'platinum' },
    ];
    for (const body of bad) {
      const answer = await admin.post('/api/tags', body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const made = await admin.post('/api/tags', { name: '改名測試', kind: 'basic' });
    for (const body of [{ name: '' }, { name: null }, { name: '\u00AD' }, { name: 'y'.repeat(51) }]) {
      expect((await admin.patch(`/api/tags/${made.body.id}`, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await admin.patch('/api/tags/not-a-uuid', { name: 'x' })).status).toBe(400);
  });

  it('holds: 50 characters as kept are accepted; 50 typed that NFC keeps longer are refused with field.name_max_50', async () => {
    expect((await admin.post('/api/tags', { name: '長'.repeat(50), kind: 'basic' })).status).toBe(201);
    const over = await admin.post('/api/tags', { name: '\u0958'.repeat(30), kind: 'basic' });
    expect(over.status).toBe(400);
    expect(over.body.error.details.issues[0]).toMatchObject({ path: 'name', code: 'too_big', message: '名稱最多 50 個字（以整理後的名稱計算：有些字元會算成兩個字）。' });
  });
});

describe('tag names as the import finds them and as the database keeps them', () => {
  it('holds: two tags the database keeps apart (ΟΔΟΣ and οδος: lower() gives οδοσ and οδος; JavaScript’s toLowerCase both οδος) stay two in the import', async () => {
    const upper = await admin.post('/api/tags', { name: 'ΟΔΟΣ', kind: 'basic' });
    const lower = await admin.post('/api/tags', { name: 'οδος', kind: 'basic' });
    expect([upper.status, lower.status]).toEqual([201, 201]);
    const file = csvText([
      ['姓名', '電子信箱', '標籤'],
      ['希臘甲', 'greek-lower@atk4.example', 'οδος'],
      ['希臘乙', 'greek-upper@atk4.example', '\u200BΟΔΟΣ '],
      ['希臘丙', 'greek-mixed@atk4.example', 'Οδος'],
    ]);
    const { id, checked } = await uploadAndCheck(admin, '希臘.csv', file);
    expect([checked.validRows, checked.errorRows]).toEqual([3, 0]);
    await commitAndWait(admin, id);
    const tagsOf = async (email: string) => {
      const [member] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ id: string }>(tx, sql`select id from members where email = ${email}`));
      return ((await admin.get(`/api/members/${member!.id}/tags`)).body.data as Array<{ id: string }>).map((t) => t.id);
    };
    expect(await tagsOf('greek-lower@atk4.example')).toEqual([lower.body.id]);
    expect(await tagsOf('greek-upper@atk4.example')).toEqual([upper.body.id]);
    // PostgreSQL's lower('Οδος') is 'οδος': the database's tag 「οδος」, as its unique index would refuse 「Οδος」 for it.
    expect(await tagsOf('greek-mixed@atk4.example')).toEqual([lower.body.id]);
  });
});

describe('errorMessage {placeholders}', () => {
  it('holds: a tag named like a placeholder or a replacement pattern is shown as typed, not expanded', async () => {
    const names = ['{tagId}', '$& {name} $1 $$', '{field}{name}', '{constructor}'];
    for (const name of names) {
      const made = await admin.post('/api/tags', { name, kind: 'basic' });
      expect(made.status, name).toBe(201);
      const again = await admin.post('/api/tags', { name: name.toUpperCase(), kind: 'basic' });
      expect(again.status).toBe(409);
      expect(again.body.error.message, name).toBe(errorMessage('tag.name_taken', 'zh-TW').replace('{name}', () => name));
      expect(again.body.error.message).not.toContain(made.body.id);
    }
  });

  it('holds: only string and number details fill placeholders; objects, prototypes and arrays do not', () => {
    const message = (details: unknown) => errorMessage('tag.name_taken', 'en', details);
    expect(message({ name: { toString: () => 'x' } })).toContain('{name}');
    expect(message({ name: ['a', 'b'] })).toContain('{name}');
    expect(message(Object.create({ name: 'inherited' }))).toContain('inherited'); // documented: a detail is read as a property
    expect(message({})).toContain('{name}');
    expect(message('name')).toBe(errorMessage('tag.name_taken', 'en'));
    expect(message(null)).toBe(errorMessage('tag.name_taken', 'en'));
    // A message without placeholders never shows details, whatever they hold.
    expect(errorMessage('tag.not_found', 'en', { name: 'secret', tagId: 'id' })).toBe('Tag not found.');
    // Replacement is one pass: a value holding another placeholder is not expanded again.
    expect(errorMessage('campaign.test_send_limit', 'en', { limit: '{used}', used: 7 })).toContain('at most {used} guests');
  });

  it('holds: a validation error’s message does not echo what was typed (only ZCleanName’s fixed texts)', async () => {
    const typed = '{name}'.repeat(20);
    const answer = await admin.post('/api/tags', { name: typed, kind: 'basic' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).not.toContain('{name}{name}');
  });
});

describe('template tags found in any spelling, per hotel', () => {
  it('holds: another hotel’s 「商務客」 is not used by our template; ours in another spelling is', async () => {
    const theirs = await otherAdmin.post('/api/tags', { name: '商務客', kind: 'campaign' });
    expect(theirs.status).toBe(201);
    const used = await admin.post('/api/automation/rules/from-template', { templateKey: 'business_stay' });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    const ourTags = (await admin.get('/api/tags')).body.data as Array<{ id: string; name: string }>;
    const ours = ourTags.find((t) => t.name === '商務客');
    expect(ours).toBeDefined();
    expect(ours!.id).not.toBe(theirs.body.id);
    expect(JSON.stringify(used.body)).not.toContain(theirs.body.id);
  });

  it('holds: a 行銷-like account without tags.edit is told the template tag is missing, and no tag of another hotel satisfies it', async () => {
    await otherAdmin.post('/api/tags', { name: '家庭客', kind: 'campaign' });
    const editor = await staffWith({ permissions: ['members.read', 'campaigns.edit'] });
    const used = await editor.post('/api/automation/rules/from-template', { templateKey: 'family_travel' });
    expect([used.status, used.body.error?.code], JSON.stringify(used.body)).toEqual([403, 'automation.template_tag_missing']);
  });

  it('holds: our 「vip」 basic tag in another case is the template’s 「VIP」 (no second VIP made)', async () => {
    const vip = await admin.post('/api/tags', { name: 'vip', kind: 'basic' });
    expect(vip.status).toBe(201);
    const used = await admin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    expect(((await admin.get('/api/tags')).body.data as Array<{ name: string }>).filter((t) => t.name.toLowerCase() === 'vip')).toHaveLength(1);
  });
});

describe('pause and resume: roles and tenants', () => {
  async function sendingCampaign(client: ApiClient) {
    const made = await client.post('/api/campaigns', { name: `暫停 ${Date.now()}-${Math.random()}`, propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '您好' }] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await env.runtime.db.ownerTransaction((owner) => owner.query(`update campaigns set status = 'sending' where id = $1`, [made.body.id]));
    return made.body.id as string;
  }

  it('holds: another hotel’s campaign id is not found for pause, resume or cancel, and its spans are untouched', async () => {
    const theirs = await sendingCampaign(otherAdmin);
    for (const action of ['pause', 'resume', 'cancel']) {
      const answer = await admin.post(`/api/campaigns/${theirs}/${action}`);
      expect([answer.status, answer.body.error?.code], action).toEqual([404, 'campaign.not_found']);
    }
    const [row] = await env.runtime.db.ownerTransaction((owner) => owner.query<{ status: string; paused_spans: unknown[] }>('select status, paused_spans from campaigns where id = $1', [theirs]));
    expect(row).toEqual({ status: 'sending', paused_spans: [] });
  });

  it('holds: campaigns.edit without campaigns.push, customer service and read-only accounts cannot pause or resume', async () => {
    const id = await sendingCampaign(admin);
    const editorOnly = await staffWith({ permissions: ['members.read', 'campaigns.edit'] });
    const service = await staffWith({ builtinKey: 'customer_service' });
    const readOnly = await staffWith({ permissions: ['members.read'] });
    for (const client of [editorOnly, service, readOnly]) {
      for (const action of ['pause', 'resume']) expect((await client.post(`/api/campaigns/${id}/${action}`)).status, action).toBe(403);
    }
    const marketing = await staffWith({ builtinKey: 'marketing' });
    expect((await marketing.post(`/api/campaigns/${id}/pause`)).status).toBe(200);
    expect((await readOnly.post(`/api/campaigns/${id}/resume`)).status).toBe(403);
    expect((await marketing.post(`/api/campaigns/${id}/resume`)).status).toBe(200);
  });

  it('holds: a pause at the bound on spans a hand edit left odd (an open span in the middle, a span ending before it starts) is no 500 and keeps 100', async () => {
    const id = await sendingCampaign(admin);
    const spans = Array.from({ length: 100 }, (_, i) => ({ from: new Date(Date.UTC(2026, 10, 1, 0, i * 2)).toISOString(), to: new Date(Date.UTC(2026, 10, 1, 0, i * 2 + 1)).toISOString() }));
    spans[0] = { from: spans[0]!.from, to: null as unknown as string };
    spans[1] = { from: spans[1]!.to, to: spans[1]!.from };
    await env.runtime.db.ownerTransaction((owner) => owner.query(`update campaigns set paused_spans = $2::jsonb where id = $1`, [id, JSON.stringify(spans)]));
    const paused = await admin.post(`/api/campaigns/${id}/pause`);
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    const [row] = await env.runtime.db.ownerTransaction((owner) => owner.query<{ paused_spans: Array<{ from: string; to: string | null }> }>('select paused_spans from campaigns where id = $1', [id]));
    expect(row!.paused_spans).toHaveLength(100);
    expect(row!.paused_spans.at(-1)!.to).toBeNull();
    expect((await admin.get(`/api/campaigns/${id}`)).status).toBe(200);
  });
});

describe('the LINE user id rule and migration 0061’s checks', () => {
  const candidates = ['U' + 'a'.repeat(32), 'a', '9'.repeat(64), '9'.repeat(65), '', 'U1\n', '\nU1', 'U1 ', 'U-1', 'U,1', 'Ｕ１', 'é', 'İ', 'ß', '\u212A', 'U\u0000', 'a\u200B', '١٢٣'];

  it('holds: the database’s check answers as LINE_USER_ID on every candidate (members.line_user_id)', async () => {
    const checks = await env.runtime.db.ownerTransaction((owner) =>
      owner.query<{ table: string; def: string }>(`select conrelid::regclass::text as table, pg_get_constraintdef(oid) as def from pg_constraint where contype = 'c' and pg_get_constraintdef(oid) like '%line_user_id ~%'`),
    );
    expect(checks.length).toBeGreaterThan(0);
    for (const candidate of candidates) {
      if (candidate.includes('\u0000')) {
        expect(isLineUserId(candidate)).toBe(false); // PostgreSQL text holds no NUL at all
        continue;
      }
      const [row] = await env.runtime.db.ownerTransaction((owner) => owner.query<{ ok: boolean }>(`select $1::text ~ '^[0-9A-Za-z]{1,64}$' as ok`, [candidate]));
      expect([candidate, row!.ok], JSON.stringify(candidate)).toEqual([candidate, LINE_USER_ID.test(candidate)]);
    }
    for (const check of checks) expect(check.def, check.table).toContain('[0-9A-Za-z]{1,64}');
  });
});
