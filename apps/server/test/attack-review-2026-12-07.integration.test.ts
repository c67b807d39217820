import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherHotel, ApiClient, latestLinkToken, signedInAs, startSignedIn, type ApiResponse } from './api-client.ts';
import { type TestEnv, type TestTenant } from './harness.ts';
import { isPreviewFetch } from '../src/modules/campaigns/campaign-links.ts';

/**
 * The attack review of 2026-12-07 (afternoon): today's changes probed as a hostile or careless user would, kept as
 * regression tests. Rule names unique per tenant (migration 0058) and the template's 「名稱（n）」 across tenants,
 * roles and properties; names and numbers staff might type; the campaign settings' cap and quiet hours as raw JSON;
 * the redirect's user-agent memory under a flood. Races on PostgreSQL are in the .postgres twin of this file.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let otherAdmin: ApiClient;

const send = { kind: 'send', messages: [{ type: 'text', text: '生日快樂！' }] };
const rule = (name: unknown, extra: Record<string, unknown> = {}) => ({ name, trigger: { kind: 'birthday', hour: 9 }, steps: [send], ...extra });
const codeOf = (r: ApiResponse) => [r.status, r.body.error?.code];

async function account(email: string, permissions: string[], scope: { allProperties: boolean; propertyIds: string[] }): Promise<ApiClient> {
  const role = await admin.post('/api/roles', { name: email.split('@')[0], permissions });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const created = await admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, ...scope });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

const namesOf = async (client: ApiClient) => ((await client.get('/api/automation/rules')).body.data as Array<{ name: string }>).map((r) => r.name).sort();

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  ({ otherAdmin } = await anotherHotel(env, 'atk-other'));
}, 60_000);
afterAll(() => env.close());

describe('rule names across tenants', () => {
  it('another hotel may use the same name and the same template: its first copy is the bare name, and this hotel’s rules show through neither a 409 nor a number', async () => {
    expect((await admin.post('/api/automation/rules', rule('跨館同名'))).status).toBe(201);
    expect((await admin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' })).status).toBe(201);
    const second = await admin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.name).toMatch(/（2）$/);
    const base = (second.body.name as string).replace(/（2）$/, '');

    // The other hotel: the same typed name is free, and its first use of the template is not numbered.
    const theirs = await otherAdmin.post('/api/automation/rules', rule('跨館同名'));
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    const theirTemplate = await otherAdmin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' });
    expect([theirTemplate.status, theirTemplate.body.name]).toEqual([201, base]);
    // A rename there to a name only this hotel has is no clash either.
    expect((await otherAdmin.patch(`/api/automation/rules/${theirs.body.id}`, { name: `${base}（2）`, version: theirs.body.version })).status).toBe(200);
    expect(await namesOf(otherAdmin)).toEqual([base, `${base}（2）`].sort());

    // And this hotel's rules cannot be renamed, read or deleted through the other's session.
    expect(codeOf(await otherAdmin.patch(`/api/automation/rules/${second.body.id}`, { name: '被改名', version: second.body.version }))[0]).toBe(404);
    expect((await otherAdmin.get(`/api/automation/rules/${second.body.id}`)).status).toBe(404);
    expect((await otherAdmin.delete(`/api/automation/rules/${second.body.id}`)).status).toBe(404);
    expect((await admin.get(`/api/automation/rules/${second.body.id}`)).body.name).toBe(`${base}（2）`);
  });
});

describe('names staff might type', () => {
  it('blank names (spaces, ideographic spaces, tabs) are refused; spaces around a name make no new name; 100 characters kept, 101 refused', async () => {
    for (const name of ['', '   ', '\u3000\u3000', '\t\n', null, 42])
      expect([JSON.stringify(name), ...codeOf(await admin.post('/api/automation/rules', rule(name)))]).toEqual([JSON.stringify(name), 400, 'request.validation']);
    const made = await admin.post('/api/automation/rules', rule('\u3000前後空白\u3000'));
    expect([made.status, made.body.name]).toEqual([201, '前後空白']);
    expect(codeOf(await admin.post('/api/automation/rules', rule(' 前後空白\t')))).toEqual([409, 'automation.name_taken']);
    expect(codeOf(await admin.patch(`/api/automation/rules/${made.body.id}`, { name: '  ', version: made.body.version }))).toEqual([400, 'request.validation']);
    expect((await admin.get(`/api/automation/rules/${made.body.id}`)).body.name).toBe('前後空白');

    const hundred = '長'.repeat(100);
    expect((await admin.post('/api/automation/rules', rule(hundred))).status).toBe(201);
    expect(codeOf(await admin.post('/api/automation/rules', rule(`${hundred}長`)))).toEqual([400, 'request.validation']);
    // A name typed like a template's copy of a 100-character name is still held to 100.
    expect(codeOf(await admin.post('/api/automation/rules', rule(`${hundred}（2）`)))).toEqual([400, 'request.validation']);
  });

  it('a 409 names the field only: no id, property or other detail of the rule holding the name', async () => {
    expect((await admin.post('/api/automation/rules', rule('細節不外洩', { propertyId: tenant.propertyIds[1] }))).status).toBe(201);
    const refused = await admin.post('/api/automation/rules', rule('細節不外洩'));
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual({ field: 'name' });
  });

  it('numbers as strings, fractions, exponents and missing fields: refused or read as the number JSON says, never coerced', async () => {
    for (const trigger of [
      { kind: 'birthday', hour: '7' },
      { kind: 'birthday', hour: '7.5' },
      { kind: 'birthday', hour: 7.5 },
      { kind: 'birthday', hour: -0.5 },
      { kind: 'checked_out', hour: 10 },
      { kind: 'checked_out', days: '1e1', hour: 10 },
      { kind: 'arrival', days: 1, hour: 10, extra: true },
      { kind: 'no_interaction', days: 1e4, hour: 10 },
      { hour: 9 },
    ])
      expect([JSON.stringify(trigger), ...codeOf(await admin.post('/api/automation/rules', rule(`數字 ${JSON.stringify(trigger)}`, { trigger })))]).toEqual([JSON.stringify(trigger), 400, 'request.validation']);
    // 1e1 in JSON is the number 10: that is what staff sent, and it is in range.
    const exponent = await admin.post('/api/automation/rules', rule('指數十天', { trigger: { kind: 'checked_out', days: 1e1, hour: 1e1 } }));
    expect([exponent.status, exponent.body.trigger]).toEqual([201, { kind: 'checked_out', days: 10, hour: 10 }]);
    for (const steps of [[], [{ kind: 'wait', amount: '2', unit: 'days' }, send], [{ kind: 'wait', amount: 2, unit: 'weeks' }, send], [{ kind: 'wait', amount: 2 }, send]])
      expect([JSON.stringify(steps), (await admin.post('/api/automation/rules', rule(`步驟 ${JSON.stringify(steps)}`, { steps }))).status]).toEqual([JSON.stringify(steps), 400]);
    expect((await admin.post('/api/automation/rules', { name: '沒有觸發' , steps: [send] })).status).toBe(400);
  });
});

describe('weaker roles and property-limited accounts', () => {
  it('an account that may push but not edit campaigns reads rules and templates but cannot use a template or rename a rule', async () => {
    const pusher = await account('atk-pusher@hotel.example', ['members.read', 'tags.edit', 'campaigns.push'], { allProperties: true, propertyIds: [] });
    const target = await admin.post('/api/automation/rules', rule('推播者不可改'));
    expect((await pusher.get('/api/automation/templates')).status).toBe(200);
    expect((await pusher.get(`/api/automation/rules/${target.body.id}`)).status).toBe(200);
    const before = await namesOf(admin);
    expect(codeOf(await pusher.post('/api/automation/rules/from-template', { templateKey: 'business_stay' }))).toEqual([403, 'auth.forbidden']);
    expect(codeOf(await pusher.patch(`/api/automation/rules/${target.body.id}`, { name: '被推播者改名', version: target.body.version }))).toEqual([403, 'auth.forbidden']);
    expect(codeOf(await pusher.post('/api/automation/rules', rule('推播者新建')))).toEqual([403, 'auth.forbidden']);
    expect(await namesOf(admin)).toEqual(before);
  });

  it('an account without campaign rights reads no rule names at all (list, one rule, templates)', async () => {
    const desk = await account('atk-desk@hotel.example', ['members.read', 'members.edit'], { allProperties: true, propertyIds: [] });
    const target = await admin.post('/api/automation/rules', rule('櫃檯看不到'));
    for (const r of [await desk.get('/api/automation/rules'), await desk.get(`/api/automation/rules/${target.body.id}`), await desk.get('/api/automation/templates')]) expect(r.status).toBe(403);
  });

  it('a property-limited editor: sees only its property’s and group rules, cannot move a template’s rule into another property, nor rename another property’s rule', async () => {
    const [taipei, taichung] = tenant.propertyIds as [string, string];
    const hidden = await admin.post('/api/automation/rules', rule('台中館專屬規則', { propertyId: taichung }));
    expect(hidden.status).toBe(201);
    const lead = await account('atk-tpe@hotel.example', ['members.read', 'tags.edit', 'campaigns.edit'], { allProperties: false, propertyIds: [taipei] });
    const listed = (await lead.get('/api/automation/rules')).body.data as Array<{ name: string; propertyId: string | null }>;
    expect(listed.some((r) => r.propertyId === taichung)).toBe(false);
    expect(listed.map((r) => r.name)).not.toContain('台中館專屬規則');
    expect((await lead.get(`/api/automation/rules/${hidden.body.id}`)).status).toBe(404);
    expect((await lead.patch(`/api/automation/rules/${hidden.body.id}`, { name: '台北改台中', version: hidden.body.version })).status).toBe(404);
    const moved = await lead.post('/api/automation/rules/from-template', { templateKey: 'family_travel', propertyId: taichung });
    expect(moved.status, JSON.stringify(moved.body)).toBe(400);
    const own = await lead.post('/api/automation/rules/from-template', { templateKey: 'family_travel', propertyId: taipei });
    expect([own.status, own.body.propertyId]).toEqual([201, taipei]);
    // Nor move its own rule into 台中館 by a patch.
    expect((await lead.patch(`/api/automation/rules/${own.body.id}`, { propertyId: taichung, version: own.body.version })).status).toBe(400);
    expect((await admin.get(`/api/automation/rules/${own.body.id}`)).body.propertyId).toBe(taipei);
  });
});

describe('campaign settings as raw JSON', () => {
  it('caps and quiet hours outside their forms are refused and nothing is written; 1e1 is the number 10', async () => {
    const saved = await admin.request('PUT', '/api/campaign-settings', { weeklyCap: 4, quietHours: { start: '22:00', end: '08:00' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const bodies: unknown[] = [
      { weeklyCap: '1e1', quietHours: null },
      { weeklyCap: '5', quietHours: null },
      { weeklyCap: 0, quietHours: null },
      { weeklyCap: 50.5, quietHours: null },
      { weeklyCap: 51, quietHours: null },
      { weeklyCap: -1, quietHours: null },
      { weeklyCap: true, quietHours: null },
      { quietHours: null },
      { weeklyCap: 3 },
      {},
      { weeklyCap: 3, quietHours: null, extra: 1 },
      ...['24:00', '07:60', '7:00', '07:00:00', ' 07:00', '07:00\n', '０７:００', '07：00', '', '23:5'].map((start) => ({ weeklyCap: 3, quietHours: { start, end: '06:00' } })),
      { weeklyCap: 3, quietHours: { start: '22:00' } },
      { weeklyCap: 3, quietHours: { start: '22:00', end: '22:00' } },
      { weeklyCap: 3, quietHours: { start: '22:00', end: '06:00', days: 'all' } },
    ];
    for (const body of bodies) expect([JSON.stringify(body), (await admin.request('PUT', '/api/campaign-settings', body)).status]).toEqual([JSON.stringify(body), 400]);
    expect((await admin.get('/api/campaign-settings')).body).toEqual({ weeklyCap: 4, quietHours: { start: '22:00', end: '08:00' } });
    const exponent = await admin.request('PUT', '/api/campaign-settings', { weeklyCap: 1e1, quietHours: { start: '23:59', end: '00:00' } });
    expect([exponent.status, exponent.body]).toEqual([200, { weeklyCap: 10, quietHours: { start: '23:59', end: '00:00' } }]);
    expect((await admin.request('PUT', '/api/campaign-settings', { weeklyCap: null, quietHours: null })).body).toEqual({ weeklyCap: null, quietHours: null });
  });

  it('an account without settings.manage cannot change them, and another hotel’s settings are its own', async () => {
    expect((await admin.request('PUT', '/api/campaign-settings', { weeklyCap: 7, quietHours: null })).status).toBe(200);
    const marketer = await account('atk-marketer@hotel.example', ['members.read', 'campaigns.edit', 'campaigns.push'], { allProperties: true, propertyIds: [] });
    expect((await marketer.request('PUT', '/api/campaign-settings', { weeklyCap: 50, quietHours: null })).status).toBe(403);
    expect((await otherAdmin.request('PUT', '/api/campaign-settings', { weeklyCap: 1, quietHours: { start: '00:00', end: '23:59' } })).status).toBe(200);
    expect((await admin.get('/api/campaign-settings')).body).toEqual({ weeklyCap: 7, quietHours: null });
  });
});

describe('the redirect’s memory of user agents', () => {
  it('a flood of 2,500 distinct user agents (past the 1,000 remembered) leaves previewers uncounted and browsers counted', () => {
    const browser = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0';
    const previewer = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';
    expect([isPreviewFetch('GET', browser), isPreviewFetch('GET', previewer)]).toEqual([false, true]);
    for (let n = 0; n < 2_500; n += 1) {
      // Half look like browsers, half like bots: whichever is remembered, each is judged on its own text.
      expect(isPreviewFetch('GET', n % 2 === 0 ? `${browser} flood/${n}` : `Slackbot-LinkExpanding 1.0 flood/${n}`)).toBe(n % 2 === 1);
    }
    expect([isPreviewFetch('GET', browser), isPreviewFetch('GET', previewer), isPreviewFetch('HEAD', browser), isPreviewFetch('GET', undefined), isPreviewFetch('GET', '')]).toEqual([false, true, true, true, true]);
  });
});
