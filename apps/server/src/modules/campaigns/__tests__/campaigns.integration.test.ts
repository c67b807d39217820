import { randomUUID } from 'node:crypto';
import { CAMPAIGN_FIELD_MESSAGES } from '@innkeeper/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../core/context.ts';
import { postbackResolvers } from '../../line/index.ts';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn, type ApiResponse } from '../../../../test/api-client.ts';
import { createTestTenant, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { jpegHeader, png, upload } from './test-images.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let drafter: ApiClient;
let approver: ApiClient;
let frontDesk: ApiClient;
let taipeiMarketing: ApiClient;
let stranger: ApiClient;
let businessTag: string;
let familyTag: string;
let photo: { id: string; url: string; previewUrl: string };
let wide: { id: string };

async function account(email: string, role: { builtinKey: string } | { permissions: string[] }, propertyIds: string[] | 'all'): Promise<ApiClient> {
  let roleId: string;
  if ('builtinKey' in role) {
    roleId = ((await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>).find((r) => r.builtinKey === role.builtinKey)!.id;
  } else {
    const created = await admin.post('/api/roles', { name: email, permissions: role.permissions });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    roleId = created.body.id;
  }
  const created = await admin.post('/api/accounts', { email, displayName: email, roleId, allProperties: propertyIds === 'all', propertyIds: propertyIds === 'all' ? [] : propertyIds });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}


const pngFile = (bytes: Buffer, name = 'offer.png') => ({ name, type: 'image/png', bytes });

function businessOffer(overrides: Record<string, unknown> = {}) {
  return {
    name: '平日商務優惠',
    propertyId: null,
    startsOn: '2026-12-01',
    endsOn: '2026-12-31',
    tagIds: [businessTag],
    audience: { kind: 'all' },
    messages: [
      { type: 'text', text: '{lastName}{firstName} 您好：平日商務住房 85 折！' },
      { type: 'image', imageId: photo.id },
      {
        type: 'buttons',
        altText: '平日商務優惠',
        title: '平日商務優惠',
        text: '週一至週四入住享 85 折',
        actions: [
          { type: 'postback', label: '我有興趣', displayText: '我想了解平日商務優惠', tagIds: [businessTag] },
          { type: 'uri', label: '立即訂房', uri: 'https://hotel.example/book?plan=weekday', tagIds: [businessTag] },
        ],
      },
      { type: 'bubble', altText: '商務客專屬', imageId: photo.id, title: '商務客專屬禮遇', text: '延遲退房至 14:00', actions: [{ type: 'postback', label: '預約延遲退房', tagIds: [] }] },
      { type: 'carousel', altText: '各館優惠', cards: [{ title: '台北館', actions: [{ type: 'uri', label: '看台北館', uri: 'https://hotel.example/tpe', tagIds: [] }] }, { title: '台中館', text: '近高鐵站' }] },
    ],
    ...overrides,
  };
}

async function draft(client: ApiClient = admin, overrides: Record<string, unknown> = {}) {
  const response = await client.post('/api/campaigns', businessOffer(overrides));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; version: number; messages: Array<Record<string, any>>; status: string };
}

function expectFieldError(response: ApiResponse, path: string, key: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body.error.code).toBe('request.validation');
  expect(response.body.error.details.issues, JSON.stringify(response.body.error.details.issues)).toContainEqual(expect.objectContaining({ path, message: CAMPAIGN_FIELD_MESSAGES[key]!['zh-TW'] }));
}

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  // As the API process does: an approval to send now queues the start job (nothing runs it here).
  await env.runtime.queue.start({ work: false });
  businessTag = (await admin.post('/api/tags', { name: '商務客', kind: 'campaign' })).body.id;
  familyTag = (await admin.post('/api/tags', { name: '家庭客', kind: 'campaign' })).body.id;
  // 行銷 without the push permission drafts; an approver may push but not edit; 客服 may do neither.
  drafter = await account('drafter@campaigns.example', { permissions: ['members.read', 'campaigns.edit'] }, 'all');
  approver = await account('approver@campaigns.example', { permissions: ['members.read', 'campaigns.push'] }, 'all');
  frontDesk = await account('desk@campaigns.example', { builtinKey: 'customer_service' }, 'all');
  taipeiMarketing = await account('tpe-marketing@campaigns.example', { builtinKey: 'marketing' }, [tenant.propertyIds[0]!]);
  const other = await createTestTenant(env);
  stranger = await signedInAs(env, other.adminEmail, other.password);
  const uploaded = await upload(admin, { file: pngFile(png(800, 520)) });
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  photo = uploaded.body;
  wide = (await upload(admin, { file: pngFile(png(1200, 800)) })).body;
});
afterAll(() => env.close());

describe('campaign drafts', () => {
  it('creates a draft with every kind of message; buttons get ids and the response names its images', async () => {
    const created = await draft();
    expect(created).toMatchObject({ status: 'draft', version: 1, propertyId: null, startsOn: '2026-12-01', personalised: true, tagIds: [businessTag], may: { edit: true, schedule: true, cancel: true, unschedule: false } });
    const actions = [...created.messages[2]!.actions, ...created.messages[3]!.actions, ...created.messages[4]!.cards[0].actions];
    expect(actions.map((a: { id: string }) => a.id)).toEqual(actions.map(() => expect.stringMatching(/^[A-Za-z0-9]{1,12}$/)));
    expect(new Set(actions.map((a: { id: string }) => a.id)).size).toBe(actions.length);
    expect((created as unknown as { images: Array<{ id: string; url: string }> }).images).toEqual([expect.objectContaining({ id: photo.id, url: photo.url })]);

    const read = await admin.get(`/api/campaigns/${created.id}`);
    expect(read.body.messages).toEqual(created.messages);
    const list = await admin.get('/api/campaigns');
    expect(list.body.data.find((c: { id: string }) => c.id === created.id)).toMatchObject({ name: '平日商務優惠', status: 'draft', messageCount: 5, scheduledAt: null });
  });

  it('lists a page at a time, newest change first, with how many campaigns are in each status', async () => {
    const made = [await draft(admin, { name: '分頁一' }), await draft(admin, { name: '分頁二' }), await draft(admin, { name: '分頁三' })];
    const first = await admin.get('/api/campaigns?pageSize=2');
    const second = await admin.get('/api/campaigns?pageSize=2&page=2');
    expect([first.status, first.body.page, first.body.pageSize, second.body.page]).toEqual([200, 1, 2, 2]);
    const ids = [...first.body.data, ...second.body.data].map((c: { id: string }) => c.id);
    expect(ids.slice(0, 3)).toEqual(made.map((c) => c.id).reverse());
    expect(new Set(ids).size).toBe(4);
    const counts = first.body.counts as Record<string, number>;
    expect(Object.keys(counts).sort()).toEqual(['cancelled', 'draft', 'failed', 'paused', 'scheduled', 'sending', 'sent']);
    expect(first.body.total).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    // A status filter pages within that status; the counts stay those of every status.
    const cancelled = await admin.post(`/api/campaigns/${made[0]!.id}/cancel`);
    expect(cancelled.body.statusDetail).toMatchObject({ reason: 'cancelled', by: expect.any(String) });
    const onlyCancelled = await admin.get('/api/campaigns?status=cancelled&pageSize=100');
    expect(onlyCancelled.body.data.map((c: { status: string }) => c.status)).toEqual(onlyCancelled.body.data.map(() => 'cancelled'));
    expect(onlyCancelled.body.data.map((c: { id: string }) => c.id)).toContain(made[0]!.id);
    expect(onlyCancelled.body.total).toBe(onlyCancelled.body.counts.cancelled);
    expect(onlyCancelled.body.counts.draft).toBe(counts.draft! - 1);
    // Past the last page: nothing, with the totals still right.
    const beyond = await admin.get('/api/campaigns?pageSize=100&page=999');
    expect([beyond.body.data, beyond.body.total]).toEqual([[], first.body.total]);
    for (const bad of ['pageSize=0', 'pageSize=101', 'page=0', 'status=done', 'sort=name']) expect((await admin.get(`/api/campaigns?${bad}`)).status).toBe(400);
  });

  it('edits keep button ids, bump the version and refuse a stale version', async () => {
    const created = await draft();
    const messages = created.messages.slice(2, 3);
    messages[0]!.text = '週一至週四 85 折';
    const edited = await admin.patch(`/api/campaigns/${created.id}`, { messages, name: '平日商務優惠（更新）', version: 1 });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, name: '平日商務優惠（更新）', personalised: false });
    expect(edited.body.messages[0].actions.map((a: { id: string }) => a.id)).toEqual(created.messages[2]!.actions.map((a: { id: string }) => a.id));
    const stale = await admin.patch(`/api/campaigns/${created.id}`, { name: '另一個人的修改', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('campaign.changed');
  });

  it('deletes drafts only', async () => {
    const created = await draft();
    expect((await admin.delete(`/api/campaigns/${created.id}`)).status).toBe(204);
    expect((await admin.get(`/api/campaigns/${created.id}`)).status).toBe(404);
  });

  it('a draft may be incomplete (no messages yet) but is not scheduled until it has one', async () => {
    const empty = await admin.post('/api/campaigns', { name: '尚未完成' });
    expect(empty.status).toBe(201);
    expect(empty.body).toMatchObject({ messages: [], audience: { kind: 'all' }, holdoutPercent: 0 });
    expectFieldError(await admin.post(`/api/campaigns/${empty.body.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' }), 'messages', 'field.campaign_messages_required');
  });
});

describe("LINE's limits, each a field error in the caller's language", () => {
  const withMessages = (...messages: unknown[]) => admin.post('/api/campaigns', businessOffer({ messages }));
  const buttons = (overrides: Record<string, unknown> = {}) => ({ type: 'buttons', altText: '優惠', text: '內文', actions: [{ type: 'postback', label: '好', tagIds: [] }], ...overrides });
  const bubble = (overrides: Record<string, unknown> = {}) => ({ type: 'bubble', altText: '優惠', title: '標題', actions: [], ...overrides });
  const postback = (overrides: Record<string, unknown> = {}) => ({ type: 'postback', label: '好', tagIds: [], ...overrides });

  it('text: 5,000 characters, placeholders counted at their longest, unknown placeholders refused', async () => {
    expect((await withMessages({ type: 'text', text: 'a'.repeat(5000) })).status).toBe(201);
    expectFieldError(await withMessages({ type: 'text', text: 'a'.repeat(5001) }), 'messages.0.text', 'field.campaign_text_too_long');
    // {firstName} can become 100 characters: 4,900 + 100 fits, 4,901 + 100 does not.
    expect((await withMessages({ type: 'text', text: `{firstName}${'a'.repeat(4900)}` })).status).toBe(201);
    expectFieldError(await withMessages({ type: 'text', text: `{firstName}${'a'.repeat(4901)}` }), 'messages.0.text', 'field.campaign_text_too_long');
    expectFieldError(await withMessages({ type: 'text', text: '{nickname} 您好' }), 'messages.0.text', 'field.campaign_placeholder_unknown');
    expectFieldError(await withMessages(buttons({ text: '{firstName} 您好' })), 'messages.0.text', 'field.campaign_placeholder_text_only');
  });

  it('at most five messages; alt text at most 1,500', async () => {
    expectFieldError(await withMessages(...Array.from({ length: 6 }, () => ({ type: 'text', text: '嗨' }))), 'messages', 'field.campaign_too_many_messages');
    expect((await withMessages(buttons({ altText: 'a'.repeat(1500) }))).status).toBe(201);
    expectFieldError(await withMessages(buttons({ altText: 'a'.repeat(1501) })), 'messages.0.altText', 'field.campaign_alt_text');
    expectFieldError(await withMessages(bubble({ altText: '' })), 'messages.0.altText', 'field.campaign_alt_text');
  });

  it('buttons template: title 40, text 160 (60 with a title or image), 1 to 4 actions, labels 20', async () => {
    expectFieldError(await withMessages(buttons({ title: 'a'.repeat(41) })), 'messages.0.title', 'field.campaign_buttons_title');
    expect((await withMessages(buttons({ text: 'a'.repeat(160) }))).status).toBe(201);
    expectFieldError(await withMessages(buttons({ text: 'a'.repeat(161) })), 'messages.0.text', 'field.campaign_buttons_text');
    expectFieldError(await withMessages(buttons({ title: '標題', text: 'a'.repeat(61) })), 'messages.0.text', 'field.campaign_buttons_text');
    expectFieldError(await withMessages(buttons({ imageId: photo.id, text: 'a'.repeat(61) })), 'messages.0.text', 'field.campaign_buttons_text');
    expectFieldError(await withMessages(buttons({ actions: [] })), 'messages.0.actions', 'field.campaign_actions_count');
    expectFieldError(await withMessages(buttons({ actions: Array.from({ length: 5 }, () => postback()) })), 'messages.0.actions', 'field.campaign_actions_count');
    expect((await withMessages(buttons({ actions: [postback({ label: 'a'.repeat(20) })] }))).status).toBe(201);
    expectFieldError(await withMessages(buttons({ actions: [postback({ label: 'a'.repeat(21) })] })), 'messages.0.actions.0.label', 'field.campaign_label_template');
  });

  it('Flex bubble and carousel: labels 40, at most 4 actions a card, 1 to 12 cards, 50 KB of JSON', async () => {
    expect((await withMessages(bubble({ actions: [postback({ label: 'a'.repeat(40) })] }))).status).toBe(201);
    expectFieldError(await withMessages(bubble({ actions: [postback({ label: 'a'.repeat(41) })] })), 'messages.0.actions.0.label', 'field.campaign_label_flex');
    expectFieldError(await withMessages(bubble({ actions: Array.from({ length: 5 }, () => postback()) })), 'messages.0.actions', 'field.campaign_actions_count');
    expectFieldError(await withMessages(bubble({ title: '' })), 'messages.0.title', 'field.campaign_bubble_title');
    const card = { title: '卡片', actions: [] };
    expectFieldError(await withMessages({ type: 'carousel', altText: '輪播', cards: [] }), 'messages.0.cards', 'field.campaign_carousel_size');
    expectFieldError(await withMessages({ type: 'carousel', altText: '輪播', cards: Array.from({ length: 13 }, () => card) }), 'messages.0.cards', 'field.campaign_carousel_size');
    // Twelve cards of four 1,000-character links each are valid field by field, but their JSON is over LINE's 50 KB.
    const heavy = { title: '卡片', actions: Array.from({ length: 4 }, (_, i) => ({ type: 'uri', label: '看', uri: `https://hotel.example/${String(i).repeat(975)}`, tagIds: [] })) };
    expectFieldError(await withMessages({ type: 'carousel', altText: '輪播', cards: Array.from({ length: 12 }, () => heavy) }), 'messages.0', 'field.campaign_json_too_large');
  });

  it('actions: https links of at most 1,000 characters, postback display text 300', async () => {
    const link = (uri: string) => buttons({ actions: [{ type: 'uri', label: '看', uri, tagIds: [] }] });
    expectFieldError(await withMessages(link('http://hotel.example/')), 'messages.0.actions.0.uri', 'field.campaign_uri');
    expectFieldError(await withMessages(link('javascript:alert(1)')), 'messages.0.actions.0.uri', 'field.campaign_uri');
    expectFieldError(await withMessages(link(`https://hotel.example/${'a'.repeat(980)}`)), 'messages.0.actions.0.uri', 'field.campaign_uri');
    expect((await withMessages(link(`https://hotel.example/${'a'.repeat(978)}`))).status).toBe(201);
    expectFieldError(await withMessages(buttons({ actions: [postback({ displayText: 'a'.repeat(301) })] })), 'messages.0.actions.0.displayText', 'field.campaign_display_text');
  });

  it('a button’s click tag is chosen on the button: it becomes one of the campaign’s tags; an unknown one is refused there', async () => {
    // 家庭客 was not chosen for the campaign first (the builder made staff do that elsewhere): saved, and the campaign
    // gives it, so the tap tags the guest (the resolver reads the campaign's tags).
    const created = await withMessages(buttons({ actions: [postback({ tagIds: [familyTag] })] }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.tagIds).toEqual([businessTag, familyTag]);
    const button = created.body.messages[0].actions[0] as { id: string };
    const resolve = env.runtime.campaigns.postbackResolver;
    const answer = await env.runtime.db.withTenant(tenant.tenantId, (tx) => resolve(systemContext(tx, tenant.tenantId, 'line'), `campaign=${created.body.id}&action=${button.id}`));
    expect(answer).toMatchObject({ tagIds: [familyTag] });
    // An edit that gives a button another tag adds it too; the tags staff chose stay.
    const edited = await admin.patch(`/api/campaigns/${created.body.id}`, { version: created.body.version, tagIds: [], messages: [buttons({ actions: [postback({ tagIds: [businessTag] })] })] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.tagIds).toEqual([businessTag]);
    // A tag of no one (or another hotel's) is refused on the button that names it.
    expectFieldError(await withMessages(buttons({ actions: [postback(), postback({ tagIds: [familyTag, '01900000-0000-7000-8000-000000000009'] })] })), 'messages.0.actions.1.tagIds.1', 'field.campaign_tag');
  });

  it('a tap gives activity tags only: a basic member tag (VIP) is refused on a button and among the campaign’s tags, and one made basic since is not given', async () => {
    const vip = (await admin.post('/api/tags', { name: 'VIP 貴賓', kind: 'basic' })).body.id as string;
    expectFieldError(await withMessages(buttons({ actions: [postback(), postback({ tagIds: [familyTag, vip] })] })), 'messages.0.actions.1.tagIds.1', 'field.campaign_click_tag_kind');
    expectFieldError(await admin.post('/api/campaigns', businessOffer({ tagIds: [vip] })), 'tagIds.0', 'field.campaign_click_tag_kind');
    // Saved while an activity tag, then made a basic member tag: the tap gives nothing, the click still counts.
    const interest = (await admin.post('/api/tags', { name: '暫時興趣', kind: 'campaign' })).body.id as string;
    const created = await withMessages(buttons({ actions: [postback({ tagIds: [interest] })] }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await admin.patch(`/api/tags/${interest}`, { kind: 'basic' })).status).toBe(200);
    const button = created.body.messages[0].actions[0] as { id: string };
    const answer = await env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.campaigns.postbackResolver(systemContext(tx, tenant.tenantId, 'line'), `campaign=${created.body.id}&action=${button.id}`));
    expect(answer).toMatchObject({ campaignId: created.body.id, tagIds: [] });
  });

  it('references: tags, images and segments must exist; thumbnails at most 1,024 px wide', async () => {
    expectFieldError(await admin.post('/api/campaigns', businessOffer({ tagIds: ['01900000-0000-7000-8000-000000000001'] })), 'tagIds.0', 'field.campaign_tag');
    expectFieldError(await withMessages({ type: 'image', imageId: '01900000-0000-7000-8000-000000000002' }), 'messages.0.imageId', 'field.campaign_image');
    expectFieldError(await withMessages(buttons({ imageId: wide.id })), 'messages.0.imageId', 'field.campaign_thumbnail_width');
    expect((await withMessages({ type: 'image', imageId: wide.id })).status).toBe(201);
    expectFieldError(await admin.post('/api/campaigns', businessOffer({ audience: { kind: 'segment', segmentId: '01900000-0000-7000-8000-000000000003' } })), 'audience.segmentId', 'field.campaign_segment');
    // None chosen yet (the builder sends '' or nothing): asked for, not called missing.
    expectFieldError(await admin.post('/api/campaigns', businessOffer({ audience: { kind: 'segment', segmentId: '' } })), 'audience.segmentId', 'field.campaign_segment_required');
    expectFieldError(await admin.post('/api/campaigns', businessOffer({ audience: { kind: 'segment' } })), 'audience.segmentId', 'field.campaign_segment_required');
    expectFieldError(await admin.post('/api/campaigns/estimate', { audience: { kind: 'segment', segmentId: '' } }), 'audience.segmentId', 'field.campaign_segment_required');
    expectFieldError(await admin.post('/api/campaigns', businessOffer({ audience: { kind: 'segment', segmentId: 'not-a-uuid' } })), 'audience.segmentId', 'field.campaign_segment');
    expectFieldError(await withMessages(buttons({ actions: [postback({ id: 'same' }), postback({ id: 'same' })] })), 'messages.0.actions.1.id', 'field.campaign_action_id');
    expectFieldError(await admin.post('/api/campaigns', businessOffer({ startsOn: '2026-12-31', endsOn: '2026-12-01' })), 'endsOn', 'field.campaign_period');
  });

  it('answers in English when the browser asks for English', async () => {
    const english = new ApiClient(env, { locale: 'en' });
    english.cookie = admin.cookie;
    english.csrfToken = admin.csrfToken;
    const response = await english.post('/api/campaigns', businessOffer({ messages: [buttons({ actions: [postback({ label: 'a'.repeat(21) })] })] }));
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues).toContainEqual(expect.objectContaining({ path: 'messages.0.actions.0.label', message: CAMPAIGN_FIELD_MESSAGES['field.campaign_label_template']!.en }));
  });
});

describe('images', () => {
  it('are served publicly, byte for byte, at the token URL; a wrong token or tenant finds nothing', async () => {
    const bytes = png(300, 200);
    const uploaded = await upload(admin, { file: pngFile(bytes, '平日優惠.png') });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ width: 300, height: 200, contentType: 'image/png', fileName: '平日優惠.png', byteSize: bytes.length });
    const path = new URL(uploaded.body.url).pathname;
    expect(uploaded.body.url.startsWith(`http://innkeeper.test/media/campaign-images/${tenant.tenantId}/`)).toBe(true);
    for (const url of [path, new URL(uploaded.body.previewUrl).pathname]) {
      const served = await env.app.inject({ method: 'GET', url });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/png');
      expect(served.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(served.rawPayload.equals(bytes)).toBe(true);
    }
    const token = path.split('/')[4]!;
    const wrongToken = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await env.app.inject({ method: 'GET', url: path.replace(token, wrongToken) })).statusCode).toBe(404);
    const strangerTenant = (await stranger.get('/api/auth/me')).body.tenant.id as string;
    expect((await env.app.inject({ method: 'GET', url: path.replace(tenant.tenantId, strangerTenant) })).statusCode).toBe(404);
  });

  it('are JPEG or PNG by their content; over 1 MB they need a preview of at most 1 MB; never over 10 MB', async () => {
    const jpeg = await upload(admin, { file: { name: 'room.jpg', type: 'image/jpeg', bytes: jpegHeader(1024, 683) } });
    expect(jpeg.body).toMatchObject({ contentType: 'image/jpeg', width: 1024, height: 683 });
    const gif = await upload(admin, { file: { name: 'fake.png', type: 'image/png', bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1') } });
    expect([gif.status, gif.body.error.code]).toEqual([415, 'campaign_image.unsupported_format']);

    const large = png(700, 700, { noise: true });
    expect(large.length).toBeGreaterThan(1024 * 1024);
    const noPreview = await upload(admin, { file: pngFile(large) });
    expect([noPreview.status, noPreview.body.error.code]).toEqual([400, 'campaign_image.preview_required']);
    const previewBytes = png(240, 240);
    const withPreview = await upload(admin, { file: pngFile(large), preview: pngFile(previewBytes, 'preview.png') });
    expect(withPreview.status).toBe(201);
    const preview = await env.app.inject({ method: 'GET', url: new URL(withPreview.body.previewUrl).pathname });
    expect(preview.rawPayload.equals(previewBytes)).toBe(true);
    const tooLargePreview = await upload(admin, { file: pngFile(large), preview: pngFile(large) });
    expect([tooLargePreview.status, tooLargePreview.body.error.code]).toEqual([413, 'campaign_image.preview_too_large']);

    const huge = png(1900, 1900, { noise: true });
    expect(huge.length).toBeGreaterThan(10 * 1024 * 1024);
    const refused = await upload(admin, { file: pngFile(huge) });
    expect([refused.status, refused.body.error.code]).toEqual([413, 'campaign_image.too_large']);
  });

  it('need campaigns.edit', async () => {
    const refused = await upload(approver, { file: pngFile(png(10, 10)) });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'auth.forbidden']);
  });
});

describe('who may do what', () => {
  it('行銷 without the push permission drafts but cannot schedule; the approver schedules but cannot edit', async () => {
    const created = await draft(drafter);
    expect(created).toMatchObject({ may: { edit: true, schedule: false } });
    const refused = await drafter.post(`/api/campaigns/${created.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'auth.forbidden']);
    expect((await approver.get(`/api/campaigns/${created.id}`)).body.may).toEqual({ edit: false, schedule: true, cancel: true, unschedule: false, pause: false, resume: false });
    expect((await approver.patch(`/api/campaigns/${created.id}`, { name: '改名' })).status).toBe(403);
    expect((await approver.post('/api/campaigns', businessOffer())).status).toBe(403);
    const scheduled = await approver.post(`/api/campaigns/${created.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    // Cancelling an approved campaign is a push decision too.
    expect((await drafter.post(`/api/campaigns/${created.id}/cancel`)).status).toBe(403);
    // The drafter may withdraw the schedule to change it (nothing is sent by withdrawing).
    expect((await drafter.get(`/api/campaigns/${created.id}`)).body.may.unschedule).toBe(true);
    expect((await drafter.post(`/api/campaigns/${created.id}/unschedule`)).body.status).toBe('draft');
  });

  it('withdrawing an approval needs the push permission, or being the campaign’s author: another editor is refused (audited who and as what)', async () => {
    const colleague = await account('colleague@campaigns.example', { permissions: ['members.read', 'campaigns.edit'] }, 'all');
    const ofAdmin = await draft(admin);
    expect((await approver.post(`/api/campaigns/${ofAdmin.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' })).status).toBe(200);
    // An editor who did not write it sees no withdraw button and is refused by the server; nothing changes.
    expect((await colleague.get(`/api/campaigns/${ofAdmin.id}`)).body.may).toMatchObject({ unschedule: false, cancel: false });
    const refused = await colleague.post(`/api/campaigns/${ofAdmin.id}/unschedule`);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'auth.forbidden']);
    expect((await admin.get(`/api/campaigns/${ofAdmin.id}`)).body).toMatchObject({ status: 'scheduled', approvedBy: expect.any(String) });
    // The approver (push permission) may, though they did not write it.
    expect((await approver.get(`/api/campaigns/${ofAdmin.id}`)).body.may.unschedule).toBe(true);
    expect((await approver.post(`/api/campaigns/${ofAdmin.id}/unschedule`)).body.status).toBe('draft');

    const ofDrafter = await draft(drafter);
    expect((await approver.post(`/api/campaigns/${ofDrafter.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' })).status).toBe(200);
    expect((await colleague.post(`/api/campaigns/${ofDrafter.id}/unschedule`)).status).toBe(403);
    expect((await drafter.post(`/api/campaigns/${ofDrafter.id}/unschedule`)).body.status).toBe('draft');

    const withdrawals = async (id: string) =>
      (await admin.get(`/api/audit-log?targetType=campaign&targetId=${id}&pageSize=50`)).body.data.filter((e: { action: string }) => e.action === 'campaign.unscheduled').map((e: { details: Record<string, unknown> }) => e.details);
    expect(await withdrawals(ofAdmin.id)).toEqual([expect.objectContaining({ as: 'approver', wasScheduledAt: '2026-11-30T01:00:00.000Z', approvedBy: expect.any(String) })]);
    expect(await withdrawals(ofDrafter.id)).toEqual([expect.objectContaining({ as: 'author' })]);
  });

  it('its page names who wrote it and who approved it, to any colleague who may read it; a disabled approver keeps the name; another hotel group’s account is never named', async () => {
    const signer = await account('signer@campaigns.example', { permissions: ['members.read', 'campaigns.push'] }, 'all');
    const signerId = ((await signer.get('/api/auth/me')).body as { account: { id: string } }).account.id;
    const created = await drafter.post('/api/campaigns', businessOffer());
    expect(created.body).toMatchObject({ createdBy: expect.any(String), createdByName: 'drafter@campaigns.example', approvedBy: null, approvedByName: null });
    const scheduled = await signer.post(`/api/campaigns/${created.body.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', approvedBy: signerId, approvedByName: 'signer@campaigns.example', approvedAt: env.clock.now().toISOString() });
    // Whoever may read the campaign reads the names (colleagues of one hotel group), whatever their own permissions.
    for (const reader of [admin, drafter, approver, taipeiMarketing]) {
      expect((await reader.get(`/api/campaigns/${created.body.id}`)).body).toMatchObject({ approvedByName: 'signer@campaigns.example', createdByName: 'drafter@campaigns.example' });
    }
    // Another hotel group reads neither the campaign nor the names.
    expect((await stranger.get(`/api/campaigns/${created.body.id}`)).status).toBe(404);

    // A disabled account is still the one who approved it: its name stays.
    expect((await admin.post(`/api/accounts/${signerId}/status`, { status: 'disabled' })).status).toBe(200);
    expect((await admin.get(`/api/campaigns/${created.body.id}`)).body).toMatchObject({ approvedBy: signerId, approvedByName: 'signer@campaigns.example' });

    // An id that is no account of this hotel group (another group's administrator; one removed): the id without a name,
    // and the page says the account was removed. The other group's account is never looked up across the tenants.
    const otherAdminId = ((await stranger.get('/api/auth/me')).body as { account: { id: string; displayName: string } }).account;
    for (const foreign of [otherAdminId.id, randomUUID()]) {
      await env.runtime.db.withTenant(tenant.tenantId, (tx) => tx.execute(sql`update campaigns set approved_by = ${foreign}, created_by = ${foreign} where id = ${created.body.id}`));
      const read = await admin.get(`/api/campaigns/${created.body.id}`);
      expect(read.body).toMatchObject({ approvedBy: foreign, approvedByName: null, createdBy: foreign, createdByName: null });
      expect(JSON.stringify(read.body)).not.toContain(otherAdminId.displayName);
    }
  });

  it('an account with neither permission sees no campaigns', async () => {
    for (const response of [await frontDesk.get('/api/campaigns'), await frontDesk.post('/api/campaigns/estimate', { audience: { kind: 'all' } })]) {
      expect([response.status, response.body.error.code]).toEqual([403, 'auth.forbidden']);
    }
  });

  it('櫃檯 (neither permission) is refused every campaign route, for a real id and an unknown one alike (no existence oracle)', async () => {
    const ours = await draft();
    const scheduled = await draft();
    expect((await admin.post(`/api/campaigns/${scheduled.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' })).status).toBe(200);
    for (const id of [ours.id, scheduled.id, '6f1c2a9e-0b7d-4c55-9e3a-2d8b7f4e1a60']) {
      const responses = {
        get: await frontDesk.get(`/api/campaigns/${id}`),
        progress: await frontDesk.get(`/api/campaigns/${id}/progress`),
        estimate: await frontDesk.get(`/api/campaigns/${id}/estimate`),
        patch: await frontDesk.patch(`/api/campaigns/${id}`, { name: '櫃檯改名' }),
        delete: await frontDesk.delete(`/api/campaigns/${id}`),
        schedule: await frontDesk.post(`/api/campaigns/${id}/schedule`, { version: 1, now: true }),
        unschedule: await frontDesk.post(`/api/campaigns/${id}/unschedule`),
        cancel: await frontDesk.post(`/api/campaigns/${id}/cancel`),
        pause: await frontDesk.post(`/api/campaigns/${id}/pause`),
        resume: await frontDesk.post(`/api/campaigns/${id}/resume`),
        testSend: await frontDesk.post(`/api/campaigns/${id}/test-send`, { memberIds: ['0b0c9a3e-5d5f-4f55-8a1e-7c2b3d4e5f60'] }),
      };
      for (const [route, response] of Object.entries(responses)) expect([route, response.status, response.body.error?.code]).toEqual([route, 403, 'auth.forbidden']);
    }
    for (const response of [await frontDesk.get('/api/campaigns'), await frontDesk.post('/api/campaigns/estimate', { audience: { kind: 'all' } }), await frontDesk.get('/api/campaign-settings')]) {
      expect([response.status, response.body.error.code]).toEqual([403, 'auth.forbidden']);
    }
    // Nothing changed behind the refusals.
    expect((await admin.get(`/api/campaigns/${ours.id}`)).body).toMatchObject({ status: 'draft', name: '平日商務優惠', version: 1 });
    expect((await admin.get(`/api/campaigns/${scheduled.id}`)).body.status).toBe('scheduled');
  });

  it('a 台北館 account reads no 台中館 campaign by any route: not found, as if it did not exist', async () => {
    const [, txg] = tenant.propertyIds as [string, string];
    const taichung = await draft(admin, { name: '台中館限定', propertyId: txg });
    const routes = {
      get: () => taipeiMarketing.get(`/api/campaigns/${taichung.id}`),
      progress: () => taipeiMarketing.get(`/api/campaigns/${taichung.id}/progress`),
      estimate: () => taipeiMarketing.get(`/api/campaigns/${taichung.id}/estimate`),
      delete: () => taipeiMarketing.delete(`/api/campaigns/${taichung.id}`),
      schedule: () => taipeiMarketing.post(`/api/campaigns/${taichung.id}/schedule`, { version: 1, now: true }),
      unschedule: () => taipeiMarketing.post(`/api/campaigns/${taichung.id}/unschedule`),
      cancel: () => taipeiMarketing.post(`/api/campaigns/${taichung.id}/cancel`),
      pause: () => taipeiMarketing.post(`/api/campaigns/${taichung.id}/pause`),
      resume: () => taipeiMarketing.post(`/api/campaigns/${taichung.id}/resume`),
      testSend: () => taipeiMarketing.post(`/api/campaigns/${taichung.id}/test-send`, { memberIds: ['0b0c9a3e-5d5f-4f55-8a1e-7c2b3d4e5f60'] }),
    };
    for (const [route, call] of Object.entries(routes)) {
      const response = await call();
      expect([route, response.status, response.body.error?.code]).toEqual([route, 404, 'campaign.not_found']);
    }
    // Its estimate of an unsaved 台中館 campaign is refused as a field error (the property is not the account's).
    expectFieldError(await taipeiMarketing.post('/api/campaigns/estimate', { propertyId: txg, audience: { kind: 'all' } }), 'propertyId', 'field.campaign_property');
    expect((await admin.get(`/api/campaigns/${taichung.id}`)).body).toMatchObject({ status: 'draft', name: '台中館限定' });
  });

  it("a 台北館 account sees its property's and group-wide campaigns, changes only its own", async () => {
    const [tpe, txg] = tenant.propertyIds as [string, string];
    const groupWide = await draft(admin, { name: '集團活動' });
    const taichung = await draft(admin, { name: '台中館活動', propertyId: txg });
    const taipei = await draft(admin, { name: '台北館活動', propertyId: tpe });
    const list = (await taipeiMarketing.get('/api/campaigns')).body;
    const seen = list.data.map((c: { id: string }) => c.id);
    expect(seen).toEqual(expect.arrayContaining([groupWide.id, taipei.id]));
    expect(seen).not.toContain(taichung.id);
    // The counts are of what the account may see too (every campaign here but 台中館's).
    const all = (await admin.get('/api/campaigns')).body;
    const taichungDrafts = (await admin.get('/api/campaigns?status=draft&pageSize=100')).body.data.filter((c: { propertyId: string | null }) => c.propertyId === txg).length;
    expect(list.counts.draft).toBe(all.counts.draft - taichungDrafts);
    expect((await taipeiMarketing.get(`/api/campaigns/${taichung.id}`)).status).toBe(404);
    expect((await taipeiMarketing.patch(`/api/campaigns/${taichung.id}`, { name: 'x' })).status).toBe(404);
    expect((await taipeiMarketing.get(`/api/campaigns/${groupWide.id}`)).body.may).toEqual({ edit: false, schedule: false, cancel: false, unschedule: false, pause: false, resume: false });
    const groupEdit = await taipeiMarketing.patch(`/api/campaigns/${groupWide.id}`, { name: 'x' });
    expect([groupEdit.status, groupEdit.body.error.code]).toEqual([403, 'campaign.property_out_of_scope']);
    expect((await taipeiMarketing.post(`/api/campaigns/${groupWide.id}/schedule`, { version: 1, now: true })).status).toBe(403);
    expect((await taipeiMarketing.post('/api/campaigns', businessOffer({ propertyId: null }))).status).toBe(403);
    expectFieldError(await taipeiMarketing.post('/api/campaigns', businessOffer({ propertyId: txg })), 'propertyId', 'field.campaign_property');
    expect((await taipeiMarketing.patch(`/api/campaigns/${taipei.id}`, { name: '台北館活動（改）' })).status).toBe(200);
    expectFieldError(await taipeiMarketing.patch(`/api/campaigns/${taipei.id}`, { propertyId: txg }), 'propertyId', 'field.campaign_property');
    expect((await taipeiMarketing.post(`/api/campaigns/${taipei.id}/schedule`, { version: 2, sendAt: '2026-12-01T10:00' })).status).toBe(200);
  });

  it("another tenant's campaign ids are not found, whatever is asked", async () => {
    const ours = await draft();
    const segment = await admin.post('/api/segments', { name: '商務客分眾', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: businessTag }] } });
    for (const response of [
      await stranger.get(`/api/campaigns/${ours.id}`),
      await stranger.patch(`/api/campaigns/${ours.id}`, { name: '入侵' }),
      await stranger.delete(`/api/campaigns/${ours.id}`),
      await stranger.post(`/api/campaigns/${ours.id}/schedule`, { version: 1, now: true }),
      await stranger.post(`/api/campaigns/${ours.id}/cancel`),
      await stranger.post(`/api/campaigns/${ours.id}/unschedule`),
      await stranger.get(`/api/campaigns/${ours.id}/estimate`),
      await stranger.get(`/api/campaigns/${ours.id}/progress`),
      await stranger.post(`/api/campaigns/${ours.id}/pause`),
      await stranger.post(`/api/campaigns/${ours.id}/resume`),
      await stranger.post(`/api/campaigns/${ours.id}/test-send`, { memberIds: ['0b0c9a3e-5d5f-4f55-8a1e-7c2b3d4e5f60'] }),
    ]) {
      expect([response.status, response.body.error.code]).toEqual([404, 'campaign.not_found']);
    }
    expect((await stranger.get('/api/campaigns')).body.data).toEqual([]);
    // Our tags, images and segments are unknown to them too.
    expectFieldError(await stranger.post('/api/campaigns', { name: 'x', tagIds: [businessTag] }), 'tagIds.0', 'field.campaign_tag');
    expectFieldError(await stranger.post('/api/campaigns', { name: 'x', messages: [{ type: 'image', imageId: photo.id }] }), 'messages.0.imageId', 'field.campaign_image');
    expectFieldError(await stranger.post('/api/campaigns/estimate', { audience: { kind: 'segment', segmentId: segment.body.id } }), 'audience.segmentId', 'field.campaign_segment');
    expect((await admin.get(`/api/campaigns/${ours.id}`)).body.name).toBe('平日商務優惠');
  });
});

describe('approve, schedule, withdraw, cancel', () => {
  it('schedules in the hotel’s time zone, never in the past, only the version reviewed', async () => {
    const created = await draft();
    // The test clock says 2026-11-22 10:00 in Taipei.
    expectFieldError(await admin.post(`/api/campaigns/${created.id}/schedule`, { version: 1, sendAt: '2026-11-22T09:59' }), 'sendAt', 'field.campaign_schedule_past');
    expectFieldError(await admin.post(`/api/campaigns/${created.id}/schedule`, { version: 1, sendAt: '2026-02-30T09:00' }), 'sendAt', 'field.campaign_datetime');
    // Not after the campaign's last day (2026-12-31), nor more than a year ahead (a typed 9999 is a typo).
    const bounded = await draft();
    expectFieldError(await admin.post(`/api/campaigns/${bounded.id}/schedule`, { version: 1, sendAt: '2027-01-01T00:00' }), 'sendAt', 'field.campaign_schedule_after_period');
    const open = await draft(admin, { startsOn: null, endsOn: null });
    expectFieldError(await admin.post(`/api/campaigns/${open.id}/schedule`, { version: 1, sendAt: '9999-12-31T09:00' }), 'sendAt', 'field.campaign_schedule_too_far');
    expectFieldError(await admin.post(`/api/campaigns/${open.id}/schedule`, { version: 1, sendAt: '2027-11-22T10:01' }), 'sendAt', 'field.campaign_schedule_too_far');
    // The campaign's last day, and a year ahead to the minute, are within the window.
    expect((await admin.post(`/api/campaigns/${open.id}/schedule`, { version: 1, sendAt: '2027-11-22T10:00' })).status).toBe(200);
    expect((await admin.post(`/api/campaigns/${bounded.id}/schedule`, { version: 1, sendAt: '2026-12-31T23:59' })).status).toBe(200);
    const stale = await admin.post(`/api/campaigns/${created.id}/schedule`, { version: 7, sendAt: '2026-11-25T09:00' });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'campaign.changed']);
    const scheduled = await admin.post(`/api/campaigns/${created.id}/schedule`, { version: 1, sendAt: '2026-11-25T09:00' });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    expect(scheduled.body).toMatchObject({ status: 'scheduled', scheduledAt: '2026-11-25T01:00:00.000Z', approvedAt: env.clock.now().toISOString(), may: { edit: false, schedule: false, cancel: true, unschedule: true } });

    for (const response of [await admin.patch(`/api/campaigns/${created.id}`, { name: 'x' }), await admin.delete(`/api/campaigns/${created.id}`), await admin.post(`/api/campaigns/${created.id}/schedule`, { version: 1, now: true })]) {
      expect([response.status, response.body.error.code]).toEqual([409, 'campaign.wrong_status']);
    }
    // A scheduled campaign's tags cannot be deleted from under it.
    const tagDelete = await admin.delete(`/api/tags/${businessTag}`);
    expect([tagDelete.status, tagDelete.body.error.code]).toEqual([409, 'tag.in_use']);

    const withdrawn = await admin.post(`/api/campaigns/${created.id}/unschedule`);
    expect(withdrawn.body).toMatchObject({ status: 'draft', scheduledAt: null, approvedBy: null });
    const now = await admin.post(`/api/campaigns/${created.id}/schedule`, { version: 1, now: true });
    expect(now.body).toMatchObject({ status: 'scheduled', scheduledAt: env.clock.now().toISOString() });
    const cancelled = await admin.post(`/api/campaigns/${created.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', may: { edit: false, schedule: false, cancel: false, unschedule: false } });
    for (const response of [await admin.post(`/api/campaigns/${created.id}/cancel`), await admin.post(`/api/campaigns/${created.id}/unschedule`), await admin.post(`/api/campaigns/${created.id}/schedule`, { version: 1, now: true })]) {
      expect([response.status, response.body.error.code]).toEqual([409, 'campaign.wrong_status']);
    }

    const audit = (await admin.get(`/api/audit-log?targetType=campaign&targetId=${created.id}&pageSize=50`)).body.data.map((e: { action: string }) => e.action);
    expect(audit.sort()).toEqual(['campaign.cancelled', 'campaign.created', 'campaign.scheduled', 'campaign.scheduled', 'campaign.unscheduled']);
  });

  it('[concurrency] two approvals at once schedule once; the other is told it moved on', async () => {
    const created = await draft();
    const results = await Promise.all([admin.post(`/api/campaigns/${created.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' }), approver.post(`/api/campaigns/${created.id}/schedule`, { version: 1, sendAt: '2026-12-01T09:00' })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('campaign.wrong_status');
    const winner = results.find((r) => r.status === 200)!.body;
    expect((await admin.get(`/api/campaigns/${created.id}`)).body).toMatchObject({ status: 'scheduled', scheduledAt: winner.scheduledAt });
    const audit = (await admin.get(`/api/audit-log?targetType=campaign&targetId=${created.id}`)).body.data.filter((e: { action: string }) => e.action === 'campaign.scheduled');
    expect(audit).toHaveLength(1);
  });

  it('[concurrency] two cancels at once cancel once', async () => {
    const created = await draft();
    await admin.post(`/api/campaigns/${created.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' });
    const results = await Promise.all([admin.post(`/api/campaigns/${created.id}/cancel`), approver.post(`/api/campaigns/${created.id}/cancel`)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const audit = (await admin.get(`/api/audit-log?targetType=campaign&targetId=${created.id}`)).body.data.filter((e: { action: string }) => e.action === 'campaign.cancelled');
    expect(audit).toHaveLength(1);
  });

  it('[concurrency] an edit and an approval at once: either the edit lands and the approval is refused, or the approval holds the reviewed version', async () => {
    const created = await draft();
    const [edit, approval] = await Promise.all([drafter.patch(`/api/campaigns/${created.id}`, { name: '同時修改', version: 1 }), approver.post(`/api/campaigns/${created.id}/schedule`, { version: 1, sendAt: '2026-11-30T09:00' })]);
    expect([edit.status, approval.status].sort()).toEqual([200, 409]);
    const final = (await admin.get(`/api/campaigns/${created.id}`)).body;
    if (edit.status === 200) {
      expect(approval.body.error.code).toBe('campaign.changed');
      expect(final).toMatchObject({ status: 'draft', name: '同時修改', version: 2 });
    } else {
      expect(edit.body.error.code).toBe('campaign.wrong_status');
      expect(final).toMatchObject({ status: 'scheduled', name: '平日商務優惠', version: 1 });
    }
  });
});

describe('what a tap on a campaign button means', () => {
  it('the postback names the campaign, the button and the campaign tags it gives (LINE module resolvers)', async () => {
    const created = await draft();
    const button = created.messages[2]!.actions[0] as { id: string; label: string };
    const resolve = (data: string) =>
      env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
        const ctx = systemContext(tx, tenant.tenantId, 'line', { requestId: 't' });
        for (const resolver of env.runtime.extensions.of(postbackResolvers)) {
          const action = await resolver(ctx, data);
          if (action) return action;
        }
        return undefined;
      });
    expect(await resolve(`campaign=${created.id}&action=${button.id}`)).toEqual({ campaignId: created.id, actionId: button.id, tagIds: [businessTag], label: '我有興趣', source: '平日商務優惠' });
    expect(await resolve(`campaign=${created.id}&action=nosuch`)).toBeUndefined();
    // Another tenant's campaign means nothing here.
    const theirs = (await stranger.post('/api/campaigns', { name: '他們的活動', messages: [{ type: 'buttons', altText: 'x', text: 'x', actions: [{ id: 'x1', type: 'postback', label: 'x' }] }] })).body;
    expect(await resolve(`campaign=${theirs.id}&action=x1`)).toBeUndefined();
  });
});

describe('estimate and push settings', () => {
  let hotel: ApiClient;
  let hotelTenant: TestTenant;
  let tag: string;

  beforeAll(async () => {
    hotelTenant = await createTestTenant(env);
    hotel = await signedInAs(env, hotelTenant.adminEmail, hotelTenant.password);
    tag = (await hotel.post('/api/tags', { name: '商務客', kind: 'campaign' })).body.id;
    const [tpe, txg] = hotelTenant.propertyIds as [string, string];
    const ctx = (tx: Parameters<Parameters<typeof env.runtime.db.withTenant>[1]>[0]) => systemContext(tx, hotelTenant.tenantId, 'line', { requestId: 't' });
    const friend = async (optIn: boolean, propertyId: string | null, options: { blocked?: boolean; tagged?: boolean } = {}) => {
      const lineUserId = `U${crypto.randomUUID().replace(/-/g, '')}`;
      const { member } = await env.runtime.db.withTenant(hotelTenant.tenantId, (tx) => env.runtime.memberLine.recordFollow(ctx(tx), { lineUserId, propertyId, at: env.clock.now(), isUnblocked: false }));
      if (options.blocked) await env.runtime.db.withTenant(hotelTenant.tenantId, (tx) => env.runtime.memberLine.recordBlock(ctx(tx), { lineUserId, propertyId, at: env.clock.now() }));
      if (optIn) expect((await hotel.patch(`/api/members/${member.id}`, { marketingOptIn: true })).status).toBe(200);
      if (options.tagged !== false) await hotel.post(`/api/tags/${tag}/members`, { memberIds: [member.id] });
      return member.id;
    };
    // Group friends A and B, C whose home is 台北館 (opted in), D without opt-in, E blocked, G of 台中館 (untagged).
    await friend(true, null);
    await friend(true, null);
    await friend(true, tpe);
    await friend(false, null);
    await friend(true, null, { blocked: true });
    await friend(true, txg, { tagged: false });
    // F never became a LINE friend.
    const f = await hotel.post('/api/members', { lastName: '沒有', firstName: 'LINE', marketingOptIn: true });
    await hotel.post(`/api/tags/${tag}/members`, { memberIds: [f.body.id] });
  });

  it('counts the audience, who is skipped and why, the holdout and LINE’s message cost', async () => {
    const all = await hotel.post('/api/campaigns/estimate', { audience: { kind: 'all' }, holdoutPercent: 25, messages: [{ type: 'text', text: '平日優惠' }, { type: 'text', text: '第二則' }] });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    // 所有 LINE 好友 is the account's friends: F, who never added the account, is no friend left out of it (the
    // estimate listed them as 未加入 LINE 好友); the blocked friend E is one, skipped as blocked.
    expect(all.body).toMatchObject({ audience: 6, noLine: 0, blocked: 1, noConsent: 1, reachable: 4, holdout: 1, recipients: 3, messageObjects: 2, personalised: false, requests: 1, messageCost: 3 });
    // Personalised text goes by push, one request per guest; the cost is still one message per recipient.
    const personal = await hotel.post('/api/campaigns/estimate', { audience: { kind: 'all' }, messages: [{ type: 'text', text: '{firstName} 您好' }, { type: 'text', text: '第二則' }] });
    expect(personal.body).toMatchObject({ reachable: 4, holdout: 0, recipients: 4, personalised: true, requests: 4, messageCost: 4 });
    // While a message is half-written (an empty buttons message), the estimate still follows the builder.
    const unfinished = await hotel.post('/api/campaigns/estimate', { audience: { kind: 'all' }, messages: [{ type: 'buttons', altText: '', text: '', actions: [] }] });
    expect(unfinished.body).toMatchObject({ recipients: 4, messageObjects: 1, personalised: false, requests: 1 });
  });

  it('reads saved segments and ad-hoc conditions through the segments module, within the campaign’s property', async () => {
    const segment = (await hotel.post('/api/segments', { name: '商務客', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag }] } })).body.id;
    expect((await hotel.post('/api/campaigns/estimate', { audience: { kind: 'segment', segmentId: segment } })).body).toMatchObject({ audience: 6, noLine: 1, blocked: 1, noConsent: 1, reachable: 3 });
    const conditions = { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag }, { type: 'consent', optedIn: true }] };
    expect((await hotel.post('/api/campaigns/estimate', { audience: { kind: 'conditions', definition: conditions } })).body).toMatchObject({ audience: 5, noLine: 1, blocked: 1, noConsent: 0, reachable: 3 });
    // 台北館's campaign reaches what 台北館 sees: its own guests and the group's, not 台中館's.
    const taipei = await hotel.post('/api/campaigns/estimate', { propertyId: hotelTenant.propertyIds[0], audience: { kind: 'all' } });
    expect(taipei.body).toMatchObject({ audience: 5, noLine: 0, reachable: 3 });
    const saved = await hotel.post('/api/campaigns', { name: '台北館平日', propertyId: hotelTenant.propertyIds[0], audience: { kind: 'segment', segmentId: segment }, holdoutPercent: 50 });
    expect((await hotel.get(`/api/campaigns/${saved.body.id}/estimate`)).body).toMatchObject({ audience: 6, reachable: 3, holdout: 1, recipients: 2, messageCost: 2 });
  });

  it('stores the weekly cap and quiet hours (settings.manage) and shows them with the estimate', async () => {
    expect((await hotel.get('/api/campaign-settings')).body).toEqual({ weeklyCap: null, quietHours: null });
    const saved = await hotel.request('PUT', '/api/campaign-settings', { weeklyCap: 2, quietHours: { start: '22:00', end: '08:00' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await hotel.post('/api/campaigns/estimate', { audience: { kind: 'all' } })).body).toMatchObject({ frequencyCapPerWeek: 2, quietHours: { start: '22:00', end: '08:00' } });
    expectFieldError(await hotel.request('PUT', '/api/campaign-settings', { weeklyCap: 2, quietHours: { start: '22:00', end: '22:00' } }), 'quietHours.end', 'field.campaign_quiet_hours');
    expect((await drafter.request('PUT', '/api/campaign-settings', { weeklyCap: 1, quietHours: null })).status).toBe(403);
    expect((await drafter.get('/api/campaign-settings')).body).toEqual({ weeklyCap: null, quietHours: null });
  });

  it('refuses a weekly cap or quiet hours out of range, saying the allowed range in the staff’s language, and keeps what was saved', async () => {
    const saved = { weeklyCap: 3, quietHours: { start: '22:00', end: '08:00' } };
    expect((await hotel.request('PUT', '/api/campaign-settings', saved)).status).toBe(200);
    // 0 is no "no marketing" cap: it is refused like 51 and 2.5 (see ZCampaignSettings), never stored as 1 or 50.
    for (const weeklyCap of [0, 51, 2.5, -1]) expectFieldError(await hotel.request('PUT', '/api/campaign-settings', { weeklyCap, quietHours: null }), 'weeklyCap', 'field.campaign_weekly_cap');
    for (const start of ['30:00', '24:00', '7:00', '07:60']) expectFieldError(await hotel.request('PUT', '/api/campaign-settings', { weeklyCap: 3, quietHours: { start, end: '08:00' } }), 'quietHours.start', 'field.campaign_quiet_hours');
    expect(CAMPAIGN_FIELD_MESSAGES['field.campaign_weekly_cap']!['zh-TW']).toBe('每週上限須為 1 到 50 的整數；留空表示不限制。');
    // Refused before the session is read, the message follows the browser's language.
    hotel.locale = 'en';
    try {
      const refused = await hotel.request('PUT', '/api/campaign-settings', { weeklyCap: 0, quietHours: null });
      expect(refused.body.error.details.issues).toContainEqual(expect.objectContaining({ path: 'weeklyCap', message: 'The weekly cap is a whole number from 1 to 50; leave it empty for no cap.' }));
      const hour30 = await hotel.request('PUT', '/api/campaign-settings', { weeklyCap: 3, quietHours: { start: '30:00', end: '08:00' } });
      expect(hour30.body.error.details.issues).toContainEqual(expect.objectContaining({ path: 'quietHours.start', message: 'Enter times from 00:00 to 23:59 (HH:mm); start and end must differ.' }));
    } finally {
      hotel.locale = 'zh-TW';
    }
    expect((await hotel.get('/api/campaign-settings')).body).toEqual(saved);
    // Empty is no cap.
    expect((await hotel.request('PUT', '/api/campaign-settings', { weeklyCap: null, quietHours: null })).body).toEqual({ weeklyCap: null, quietHours: null });
  });
});
