import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOMATION_FIELD_MESSAGES } from '@innkeeper/contracts';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import { createTestTenant, type TestEnv, type TestTenant } from '../../../../test/harness.ts';

/**
 * Who may do what with rules (decision 0009): campaigns.edit makes and changes them, campaigns.push switches them on,
 * either reads them and switches them off; an account of some properties manages only its properties' rules; another
 * hotel's rules are not there at all; a rule is checked like a campaign when saved.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let tagId: string;

async function account(email: string, permissions: string[], propertyIds?: string[]): Promise<ApiClient> {
  const role = await admin.post('/api/roles', { name: email.split('@')[0], permissions });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const created = await admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, ...(propertyIds ? { allProperties: false, propertyIds } : {}) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

/** A grey PNG of the given size (what the campaign image upload reads). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([length, Buffer.from(type), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// Each rule its own name: a tenant's rules have distinct names (migration 0058).
let rulesMade = 0;
const rule = (extra: Record<string, unknown> = {}) => ({ name: `標籤規則 ${++rulesMade}`, trigger: { kind: 'tag_added', tagId }, steps: [{ kind: 'add_tag', tagId }], ...extra });

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  tagId = (await admin.post('/api/tags', { name: '規則標籤', kind: 'basic' })).body.id;
});
afterAll(() => env.close());

describe('permissions', () => {
  it('campaigns.edit drafts and edits but cannot switch on; campaigns.push switches on; neither reads nothing', async () => {
    const editor = await account('editor@hotel.example', ['members.read', 'campaigns.edit']);
    const pusher = await account('pusher@hotel.example', ['members.read', 'campaigns.push']);
    const reader = await account('reader@hotel.example', ['members.read']);
    // A step that only reads tags: tagging members through a rule is tags.edit's too (next test).
    const created = await editor.post('/api/automation/rules', rule({ steps: [{ kind: 'if_tagged', tagId }] }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.may).toEqual({ edit: true, enable: false, disable: false });
    expect((await editor.post(`/api/automation/rules/${created.body.id}/enable`, { version: 1 })).status).toBe(403);
    expect((await pusher.patch(`/api/automation/rules/${created.body.id}`, { name: 'x' })).status).toBe(403);
    expect((await pusher.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' })).status).toBe(403);
    expect((await reader.get('/api/automation/rules')).status).toBe(403);
    expect((await reader.get(`/api/automation/rules/${created.body.id}/stats`)).status).toBe(403);
    const enabled = await pusher.post(`/api/automation/rules/${created.body.id}/enable`, { version: 1 });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, may: { edit: false, enable: false, disable: true } });
    // Switching off sends nothing: either permission may.
    expect((await editor.post(`/api/automation/rules/${created.body.id}/disable`)).body.enabled).toBe(false);
    const audit = (await admin.get('/api/audit-log?action=automation.')).body.data.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['automation.rule_created', 'automation.rule_enabled', 'automation.rule_disabled']));
  });

  it('a rule whose steps add or remove tags is made, changed and switched on only by an account that may tag members (found by the attack review)', async () => {
    const vip = (await admin.post('/api/tags', { name: 'VIP 規則', kind: 'basic' })).body.id as string;
    const member = (await admin.post('/api/members', { lastName: '林', firstName: '小美' })).body.id as string;
    const pusher = await account('no-tags@hotel.example', ['members.read', 'campaigns.edit', 'campaigns.push']);
    const tagger = await account('tagger@hotel.example', ['members.read', 'tags.edit', 'campaigns.edit', 'campaigns.push']);
    const refusedWith = (r: { status: number; body: { error?: { code?: string; message?: string } } }) => [r.status, r.body.error?.code];
    const forbidden = [403, 'automation.tag_steps_forbidden'];
    // By hand it may not tag members; through a rule neither, giving or taking away.
    expect((await pusher.post(`/api/tags/${vip}/members`, { memberIds: [member] })).status).toBe(403);
    const adding = await pusher.post('/api/automation/rules', rule({ steps: [{ kind: 'add_tag', tagId: vip }] }));
    expect(refusedWith(adding)).toEqual(forbidden);
    expect(adding.body.error.message).toContain('加上標籤');
    expect(refusedWith(await pusher.post('/api/automation/rules', rule({ steps: [{ kind: 'wait', amount: 1, unit: 'hours' }, { kind: 'remove_tag', tagId: vip }] })))).toEqual(forbidden);
    // Changing a rule into one that tags, or changing one that tags (its steps stay): refused; its own rule without
    // tag steps is changed as before.
    const plain = await pusher.post('/api/automation/rules', rule({ steps: [{ kind: 'if_tagged', tagId: vip }] }));
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    expect(refusedWith(await pusher.patch(`/api/automation/rules/${plain.body.id}`, { version: 1, steps: [{ kind: 'add_tag', tagId: vip }] }))).toEqual(forbidden);
    expect((await pusher.patch(`/api/automation/rules/${plain.body.id}`, { version: 1, name: '只讀標籤' })).status).toBe(200);
    const tagging = await tagger.post('/api/automation/rules', rule({ name: '給 VIP', steps: [{ kind: 'add_tag', tagId: vip }] }));
    expect(tagging.status, JSON.stringify(tagging.body)).toBe(201);
    expect(refusedWith(await pusher.patch(`/api/automation/rules/${tagging.body.id}`, { version: 1, name: '改名' }))).toEqual(forbidden);
    // Switching it on (approving what it does) is refused too, and the page is told so.
    expect((await pusher.get(`/api/automation/rules/${tagging.body.id}`)).body.may).toEqual({ edit: true, enable: false, disable: false });
    expect(refusedWith(await pusher.post(`/api/automation/rules/${tagging.body.id}/enable`, { version: 1 }))).toEqual(forbidden);
    expect((await admin.get(`/api/automation/rules/${tagging.body.id}`)).body.enabled).toBe(false);
    // An account that may tag members makes, changes and switches it on; the other may still switch it off.
    expect((await tagger.patch(`/api/automation/rules/${tagging.body.id}`, { version: 1, steps: [{ kind: 'remove_tag', tagId: vip }] })).status).toBe(200);
    const enabled = await tagger.post(`/api/automation/rules/${tagging.body.id}/enable`, { version: 2 });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect((await pusher.post(`/api/automation/rules/${tagging.body.id}/disable`)).body.enabled).toBe(false);
    // The ready scenarios have no tag steps (their taps give activity tags): the same account uses one whose tag the
    // hotel has, and may switch it on.
    if (!((await admin.get('/api/tags')).body.data as Array<{ name: string }>).some((t) => t.name === 'VIP')) expect((await admin.post('/api/tags', { name: 'VIP', kind: 'basic' })).status).toBe(201);
    const fromTemplate = await pusher.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' });
    expect(fromTemplate.status, JSON.stringify(fromTemplate.body)).toBe(201);
    expect(fromTemplate.body.may).toEqual({ edit: true, enable: true, disable: false });
  });

  it('a template whose tag the hotel lacks is used only by an account that may make tags (found by the attack review)', async () => {
    const editor = await account('template-editor@hotel.example', ['members.read', 'campaigns.edit']);
    const tagNamed = async (name: string) => ((await admin.get('/api/tags')).body.data as Array<{ name: string }>).filter((t) => t.name === name);
    expect(await tagNamed('家庭客')).toEqual([]);
    const refused = await editor.post('/api/automation/rules/from-template', { templateKey: 'family_travel' });
    expect([refused.status, refused.body.error?.code, refused.body.error?.details]).toEqual([403, 'automation.template_tag_missing', { tag: '家庭客' }]);
    expect(await tagNamed('家庭客')).toEqual([]);
    // Once someone who may make tags has made it, the template is the editor's to use.
    expect((await admin.post('/api/tags', { name: '家庭客', kind: 'campaign' })).status).toBe(201);
    expect((await editor.post('/api/automation/rules/from-template', { templateKey: 'family_travel' })).status).toBe(201);
  });

  it('a template whose tap tag the hotel keeps as a basic member tag says so, and makes no rule', async () => {
    expect((await admin.post('/api/tags', { name: '商務客', kind: 'basic' })).status).toBe(201);
    const before = (await admin.get('/api/automation/rules')).body.data.length;
    const refused = await admin.post('/api/automation/rules/from-template', { templateKey: 'business_stay' });
    expect([refused.status, refused.body.error?.code, refused.body.error?.details]).toEqual([409, 'automation.template_tag_kind', { tag: '商務客' }]);
    expect(refused.body.error.message).toContain('基礎會員標籤');
    expect((await admin.get('/api/automation/rules')).body.data).toHaveLength(before);
  });

  it('switching on approves the version reviewed', async () => {
    const created = await admin.post('/api/automation/rules', rule());
    await admin.patch(`/api/automation/rules/${created.body.id}`, { name: '改過的規則' });
    expect((await admin.post(`/api/automation/rules/${created.body.id}/enable`, { version: 1 })).body.error.code).toBe('automation.changed');
    expect((await admin.post(`/api/automation/rules/${created.body.id}/enable`, { version: 2 })).status).toBe(200);
    expect((await admin.delete(`/api/automation/rules/${created.body.id}`)).body.error.code).toBe('automation.enabled');
  });

  it('a rule that sends cannot be switched on without a LINE channel', async () => {
    const created = await admin.post('/api/automation/rules', rule({ steps: [{ kind: 'send', messages: [{ type: 'text', text: '你好' }] }] }));
    expect((await admin.post(`/api/automation/rules/${created.body.id}/enable`, { version: 1 })).body.error.code).toBe('automation.no_channel');
  });
});

describe('property scope', () => {
  it('an account of one property manages that property’s rules, reads the group’s, and cannot change them', async () => {
    const [taipei, taichung] = tenant.propertyIds as [string, string];
    const groupRule = (await admin.post('/api/automation/rules', rule({ name: '集團規則' }))).body.id;
    const taichungRule = (await admin.post('/api/automation/rules', rule({ name: '台中規則', propertyId: taichung }))).body.id;
    const scoped = await account('taipei@hotel.example', ['members.read', 'tags.edit', 'campaigns.edit', 'campaigns.push'], [taipei]);
    const mine = await scoped.post('/api/automation/rules', rule({ name: '台北規則', propertyId: taipei }));
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect((await scoped.post('/api/automation/rules', rule({ name: '集團？' }))).body.error.code).toBe('automation.property_out_of_scope');
    expect((await scoped.post('/api/automation/rules', rule({ propertyId: taichung }))).body.error.details.issues[0].path).toBe('propertyId');
    const listed = (await scoped.get('/api/automation/rules')).body.data.map((r: { name: string }) => r.name);
    expect(listed).toEqual(expect.arrayContaining(['台北規則', '集團規則']));
    expect(listed).not.toContain('台中規則');
    expect((await scoped.get(`/api/automation/rules/${taichungRule}`)).status).toBe(404);
    expect((await scoped.patch(`/api/automation/rules/${groupRule}`, { name: 'x' })).body.error.code).toBe('automation.property_out_of_scope');
    expect((await scoped.get(`/api/automation/rules/${groupRule}`)).body.may).toEqual({ edit: false, enable: false, disable: false });
  });
});

describe('validation', () => {
  it('refuses unknown tags, segments and images and an if_clicked without an earlier button; link buttons may give tags (tracked)', async () => {
    const bad = await admin.post('/api/automation/rules', {
      name: '錯誤規則',
      trigger: { kind: 'tag_added', tagId: '01900000-0000-7000-8000-000000000001' },
      condition: { kind: 'segment', segmentId: '01900000-0000-7000-8000-000000000002' },
      steps: [
        { kind: 'send', messages: [{ type: 'buttons', altText: '優惠', text: '優惠', actions: [{ type: 'uri', label: '看看', uri: 'https://hotel.example', tagIds: [tagId] }] }, { type: 'image', imageId: '01900000-0000-7000-8000-000000000003' }] },
        { kind: 'if_clicked', step: 0 },
        { kind: 'if_clicked', step: 3 },
      ],
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.issues.map((i: { path: string }) => i.path).sort();
    // 規則標籤 is a basic member tag: a button (a guest's tap) gives activity tags only.
    expect(paths).toEqual(['condition.segmentId', 'steps.0.messages.0.actions.0.tagIds.0', 'steps.0.messages.1.imageId', 'steps.2.step', 'trigger.tagId'].sort());
    expect(bad.body.error.details.issues).toContainEqual(expect.objectContaining({ path: 'steps.0.messages.0.actions.0.tagIds.0', message: AUTOMATION_FIELD_MESSAGES['field.automation_click_tag_kind']!['zh-TW'] }));
    const activity = (await admin.post('/api/tags', { name: '規則活動標籤', kind: 'campaign' })).body.id;
    const linkTags = await admin.post('/api/automation/rules', rule({ steps: [{ kind: 'send', messages: [{ type: 'buttons', altText: '優惠', text: '優惠', actions: [{ type: 'uri', label: '看看', uri: 'https://hotel.example', tagIds: [activity] }] }] }, { kind: 'add_tag', tagId }] }));
    expect(linkTags.status, JSON.stringify(linkTags.body)).toBe(201);
    expect((await admin.post('/api/automation/rules', { name: '空', trigger: { kind: 'friend_added' }, steps: [] })).status).toBe(400);
    expect((await admin.post('/api/automation/rules', { name: '等', trigger: { kind: 'friend_added' }, steps: [{ kind: 'wait', amount: 0, unit: 'days' }] })).status).toBe(400);
    // At most a year, in either unit: 8,760 hours is one, 8,760 days is 24.
    const wait = (amount: number, unit: string) => admin.post('/api/automation/rules', { name: `等 ${amount} ${unit}`, trigger: { kind: 'friend_added' }, steps: [{ kind: 'wait', amount, unit }] });
    const tooLong = await wait(8760, 'days');
    expect([tooLong.status, tooLong.body.error?.details?.issues?.[0]?.path]).toEqual([400, 'steps.0.amount']);
    expect((await wait(366, 'days')).status).toBe(400);
    expect((await wait(365, 'days')).status).toBe(201);
    expect((await wait(8760, 'hours')).status).toBe(201);
  });

  it('a version beyond the database’s integer is refused as bad input, not a 500 (found by the attack review)', async () => {
    const created = (await admin.post('/api/automation/rules', rule({ name: '版本過大' }))).body;
    const campaign = (await admin.post('/api/campaigns', { name: '版本過大', propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '平日優惠' }] })).body;
    for (const version of [2 ** 31, 2 ** 40]) {
      const refused = [
        await admin.patch(`/api/automation/rules/${created.id}`, { version, name: '改名' }),
        await admin.post(`/api/automation/rules/${created.id}/enable`, { version }),
        await admin.patch(`/api/campaigns/${campaign.id}`, { version, name: '改名' }),
        await admin.post(`/api/campaigns/${campaign.id}/schedule`, { version, now: true }),
      ];
      expect(refused.map((r) => [r.status, r.body.error?.details?.issues?.[0]?.path])).toEqual(refused.map(() => [400, 'version']));
    }
    expect((await admin.get(`/api/automation/rules/${created.id}`)).body).toMatchObject({ name: '版本過大', version: created.version, enabled: false });
  });

  it('a send shows campaign images: the rule answers them with the URLs LINE fetches', async () => {
    const boundary = `----automation${crypto.randomBytes(6).toString('hex')}`;
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="vip.png"\r\nContent-Type: image/png\r\n\r\n`), png(640, 420), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const uploaded = await admin.request('POST', '/api/campaign-images', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const created = await admin.post('/api/automation/rules', rule({ steps: [{ kind: 'send', messages: [{ type: 'image', imageId: uploaded.body.id }] }] }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const read = (await admin.get(`/api/automation/rules/${created.body.id}`)).body;
    expect(read.images).toEqual([expect.objectContaining({ id: uploaded.body.id, width: 640, height: 420, url: expect.stringContaining('/media/campaign-images/') })]);
  });

  it('a tag used by a switched-on rule cannot be deleted', async () => {
    const own = (await admin.post('/api/tags', { name: '使用中', kind: 'basic' })).body.id;
    const created = await admin.post('/api/automation/rules', { name: '使用標籤', trigger: { kind: 'tag_added', tagId: own }, steps: [{ kind: 'wait', amount: 1, unit: 'hours' }] });
    await admin.post(`/api/automation/rules/${created.body.id}/enable`, { version: 1 });
    const refused = await admin.delete(`/api/tags/${own}`);
    expect(refused.body.error.code).toBe('tag.in_use');
  });
});

describe('tenant isolation', () => {
  it('another hotel’s rules are not found, listed or changed', async () => {
    const other = await createTestTenant(env);
    const otherAdmin = await signedInAs(env, other.adminEmail, other.password);
    const theirTag = (await otherAdmin.post('/api/tags', { name: '他們的', kind: 'basic' })).body.id;
    const theirs = (await otherAdmin.post('/api/automation/rules', { name: '別家的規則', trigger: { kind: 'tag_added', tagId: theirTag }, steps: [{ kind: 'add_tag', tagId: theirTag }] })).body.id;
    expect((await admin.get(`/api/automation/rules/${theirs}`)).status).toBe(404);
    expect((await admin.post(`/api/automation/rules/${theirs}/enable`, { version: 1 })).status).toBe(404);
    expect(JSON.stringify((await admin.get('/api/automation/rules')).body)).not.toContain(theirs);
    // Their tag is unknown here, so a rule cannot name it.
    expect((await admin.post('/api/automation/rules', { name: '偷用', trigger: { kind: 'tag_added', tagId: theirTag }, steps: [{ kind: 'add_tag', tagId }] })).status).toBe(400);
  });
});
