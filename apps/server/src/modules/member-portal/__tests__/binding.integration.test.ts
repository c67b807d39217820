import { createManualClock, startSimulator } from '@innkeeper/line-simulator';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ApiClient} from '../../../../test/api-client.ts';
import { signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
const simClock = createManualClock();
let tenant: TestTenant;
let admin: ApiClient;
let channelId: string;
const LINE = { channelId: '2008000001', channelSecret: 'abcdef0123456789'.repeat(2) /* a test channel's secret, known only to the simulator */, channelAccessToken: 'binding-test-access-token-0000000001', loginChannelId: '2008000002', loginChannelSecret: 'login0secret0000000000000000000001' };

/**
 * A virtual guest who followed the OA and opened the LIFF page: their LIFF ID token comes from the simulator. The follow
 * has been processed (its queued work run) unless `followPending` leaves it waiting in the inbox.
 */
async function newGuest(seed: string, { followPending = false } = {}) {
  const [friend] = sim.sim.addFriends(LINE.channelId, { count: 1, seed, state: 'none' });
  await sim.sim.follow(LINE.channelId, friend!.userId);
  if (!followPending) await env.runtime.queue.drain();
  const idToken = sim.sim.issueIdToken(LINE.channelId, { userId: friend!.userId });
  const liff = async (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => {
    const response = await env.app.inject({
      method,
      url: `/api/liff/${tenant.tenantId}/${channelId}${path}`,
      headers: { authorization: `Bearer ${idToken}`, 'accept-language': 'zh-TW' },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: response.statusCode, body: response.json() };
  };
  return { userId: friend!.userId, displayName: friend!.displayName, idToken, liff };
}

async function latestSmsCode(mobile: string): Promise<string> {
  const outbox = (await env.app.inject({ method: 'GET', url: '/api/demo-mailbox/sms' })).json() as { data: Array<{ toMobile: string; body: string }> };
  const sms = outbox.data.find((m) => m.toMobile === mobile);
  // The code, not the first six digits anywhere: the test hotel's name may hold six digits of its own.
  const code = /驗證碼為 (\d{6})/.exec(sms?.body ?? '')?.[1];
  if (!code) throw new Error(`no code sent to ${mobile}`);
  return code;
}

async function bindWithCode(guest: Awaited<ReturnType<typeof newGuest>>, form: Record<string, unknown>) {
  expect((await guest.liff('POST', '/code', { mobile: form.mobile })).status).toBe(200);
  const e164 = `+886${String(form.mobile).replace(/\D/g, '').replace(/^0/, '')}`;
  return guest.liff('POST', '/bind', { marketingOptIn: true, ...form, code: await latestSmsCode(e164) });
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 'binding-test', strictHttps: false, clock: simClock });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  const url = await env.app.listen({ port: 0, host: '127.0.0.1' });
  await env.runtime.queue.start({ work: true });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  sim.sim.createChannel({ ...LINE, liffApps: [{ liffId: `${LINE.loginChannelId}-Member`, endpointUrl: `${url}/liff/member` }] });
  const channel = await admin.post('/api/line/channels', { name: 'LINE', propertyId: tenant.propertyIds[0], channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, loginChannelId: LINE.loginChannelId, liffId: `${LINE.loginChannelId}-Member` });
  channelId = channel.body.id;
  await admin.post(`/api/line/channels/${channelId}/verify`);
  sim.sim.updateChannel(LINE.channelId, { webhookUrl: channel.body.webhookUrl.replace('http://innkeeper.test', url) });
});
afterAll(async () => {
  await env.close();
  await sim.close();
});

describe('member area configuration', () => {
  it('shows the hotel’s registration fields and buttons without sign-in, and staff can change them', async () => {
    const config = await env.app.inject({ method: 'GET', url: `/api/liff/${tenant.tenantId}/${channelId}/config` });
    expect(config.statusCode).toBe(200);
    expect(config.json().settings.registration.mobile).toEqual({ enabled: true, required: true });
    const settings = (await admin.get('/api/member-portal/settings')).body;
    const changed = await admin.request('PUT', '/api/member-portal/settings', { ...settings, registration: { ...settings.registration, email: { enabled: true, required: true } } });
    expect(changed.status).toBe(200);
    const refused = await admin.request('PUT', '/api/member-portal/settings', { ...settings, registration: { ...settings.registration, mobile: { enabled: false, required: false } } });
    expect(refused.status).toBe(400);
    await admin.request('PUT', '/api/member-portal/settings', settings);
    const button = await admin.post('/api/member-portal/buttons', { label: '常見問題', linkUrl: 'https://hotel.example/faq', sortOrder: 1 });
    expect(button.status).toBe(201);
    const again = await env.app.inject({ method: 'GET', url: `/api/liff/${tenant.tenantId}/${channelId}/config` });
    expect(again.json().buttons.map((b: { label: string }) => b.label)).toEqual(['常見問題']);
  });
});

describe('binding through LIFF', () => {
  it('a new guest confirms the mobile by SMS code and becomes a member with the LINE profile', async () => {
    const guest = await newGuest('new-guest');
    const before = await guest.liff('GET', '/me');
    expect(before.status).toBe(200);
    expect(before.body.member).toBeNull();
    expect(before.body.guest.displayName).toBe(guest.displayName);

    expect((await guest.liff('POST', '/code', { mobile: '0912 000 111' })).status).toBe(200);
    const wrong = await guest.liff('POST', '/bind', { lastName: '林', firstName: '小綠', mobile: '0912000111', marketingOptIn: true, code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'liff.wrong_code', details: { attemptsLeft: 4 } });

    const bound = await guest.liff('POST', '/bind', { lastName: '林', firstName: '小綠', mobile: '0912000111', marketingOptIn: true, code: await latestSmsCode('+886912000111') });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    expect(bound.body.status).toBe('created');
    expect(bound.body.member).toMatchObject({ lastName: '林', firstName: '小綠', mobile: '+886 912***111', marketingOptIn: true });

    const memberId = (await admin.post('/api/members/search', { q: '小綠' })).body.data[0].id;
    const member = (await admin.get(`/api/members/${memberId}`)).body;
    expect(member).toMatchObject({ optInSource: 'liff', line: { userId: guest.userId, status: 'following' } });
    const types = (await admin.get(`/api/members/${memberId}/timeline`)).body.data.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['bound', 'followed', 'opted_in']));
    // The code is used: binding again with it fails.
    expect((await guest.liff('POST', '/bind', { mobile: '0912000111', marketingOptIn: true, code: await latestSmsCode('+886912000111') })).status).toBe(400);
  });

  it('guests binding while their follow is still being processed each end as one member (no deadlock, no second record)', async () => {
    const guests = await Promise.all(Array.from({ length: 8 }, (_, i) => newGuest(`racing-guest-${i}`, { followPending: true })));
    // The queue processes the follows while the guests bind.
    const [, ...results] = await Promise.all([env.runtime.queue.drain(), ...guests.map((guest, i) => bindWithCode(guest, { lastName: '賴', firstName: `${i}號`, mobile: `09550001${String(i).padStart(2, '0')}` }))]);
    expect(results.map((r) => r.status)).toEqual(guests.map(() => 200));
    await env.runtime.queue.drain();
    for (const guest of guests) {
      const me = (await guest.liff('GET', '/me')).body;
      expect(me.member?.memberNo).toEqual(expect.any(String));
    }
    const found = (await admin.post('/api/members/search', { q: '賴', pageSize: 50 })).body.data as Array<{ id: string }>;
    expect(found).toHaveLength(8);
  });

  it('two staff resolving the same review at once: one links, the other is told it is closed', async () => {
    const a = await admin.post('/api/members', { lastName: '杜', mobile: '0933000777' });
    await admin.post('/api/members', { lastName: '杜', firstName: '太太', mobile: '0933000777' });
    const guest = await newGuest('contested-guest');
    expect((await bindWithCode(guest, { lastName: '杜', mobile: '0933000777' })).body.status).toBe('pending_review');
    const review = (await admin.get('/api/binding-reviews')).body.data.find((r: { lineUserId: string }) => r.lineUserId === guest.userId);
    const [link, create] = await Promise.all([admin.post(`/api/binding-reviews/${review.id}/link`, { memberId: a.body.id }), admin.post(`/api/binding-reviews/${review.id}/create`)]);
    expect([link.status, create.status].sort()).toEqual([200, 409]);
    expect([link.body.error?.code, create.body.error?.code].filter(Boolean)).toEqual(['binding_review.closed']);
    const bound = (await admin.post('/api/members/search', { q: '杜', pageSize: 10 })).body.data as unknown[];
    expect(bound).toHaveLength(link.status === 200 ? 2 : 3);
  });

  it('[concurrency] two staff dismissing and one linking the same review at once: one result, the others told it is handled', async () => {
    const a = await admin.post('/api/members', { lastName: '范', mobile: '0933000778' });
    await admin.post('/api/members', { lastName: '范', firstName: '太太', mobile: '0933000778' });
    const guest = await newGuest('contested-dismiss');
    expect((await bindWithCode(guest, { lastName: '范', mobile: '0933000778' })).body.status).toBe('pending_review');
    const review = (await admin.get('/api/binding-reviews')).body.data.find((r: { lineUserId: string }) => r.lineUserId === guest.userId);
    const results = await Promise.all([admin.post(`/api/binding-reviews/${review.id}/dismiss`), admin.post(`/api/binding-reviews/${review.id}/dismiss`), admin.post(`/api/binding-reviews/${review.id}/link`, { memberId: a.body.id })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['binding_review.closed', 'binding_review.closed']);
    const handled = results.findIndex((r) => r.status === 200);
    const outcome = (await admin.get(`/api/binding-reviews?status=${handled === 2 ? 'linked' : 'dismissed'}`)).body.data.filter((r: { id: string }) => r.id === review.id);
    expect(outcome).toHaveLength(1);
    const audit = (await admin.get(`/api/audit-log?targetType=binding_review&targetId=${review.id}`)).body;
    expect(JSON.stringify(audit).match(/member\.binding_review_(dismissed|linked)/g)).toHaveLength(1);
  });

  it('[concurrency] many wrong guesses at one SMS code at once get five tries in all; the right code afterwards is refused', async () => {
    const guest = await newGuest('parallel-guesses');
    expect((await guest.liff('POST', '/code', { mobile: '0933000991' })).status).toBe(200);
    const code = await latestSmsCode('+886933000991');
    const wrong = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const results = await Promise.all(wrong.map((guess) => guest.liff('POST', '/bind', { lastName: '猜', mobile: '0933000991', code: guess })));
    // Four are told to try again; the fifth ends the code, and every later one finds it used up.
    expect(results.filter((r) => r.body.error?.code === 'liff.wrong_code').length).toBeLessThanOrEqual(4);
    expect(results.every((r) => r.status !== 200 && r.status < 500)).toBe(true);
    const right = await guest.liff('POST', '/bind', { lastName: '猜', mobile: '0933000991', code });
    expect(right.body.error?.code).toBe('liff.code_expired');
  });

  it('a known guest is linked by national ID to the existing member; the friend record merges into it', async () => {
    const existing = await admin.post('/api/members', { lastName: '陳', firstName: '大文', identity: { type: 'national_id', number: 'E111111117' }, notes: '常客' });
    const guest = await newGuest('known-guest');
    const result = await bindWithCode(guest, { lastName: '陳', firstName: '大文', mobile: '0922000222', identity: { type: 'national_id', number: 'e111111117' } });
    expect(result.body.status).toBe('linked');
    const member = (await admin.get(`/api/members/${existing.body.id}`)).body;
    expect(member).toMatchObject({ notes: '常客', mobile: '+886 922***222', line: { userId: guest.userId } });
    const types = (await admin.get(`/api/members/${existing.body.id}/timeline`)).body.data.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['bound', 'merged', 'followed']));
  });

  it('an ID number typed with another mobile than the member’s on file waits for review: no card, nothing changed', async () => {
    // A national ID is known to relatives and colleagues; the SMS code proves only the phone typed.
    const victim = await admin.post('/api/members', { lastName: '林', firstName: '美華', mobile: '0922000711', identity: { type: 'national_id', number: 'F123456702' } });
    const guest = await newGuest('id-taker');
    const result = await bindWithCode(guest, { lastName: '林', firstName: '美華', mobile: '0922000712', identity: { type: 'national_id', number: 'F123456702' } });
    expect(result.body).toEqual({ status: 'pending_review', member: null });
    expect((await guest.liff('GET', '/me')).body).toMatchObject({ member: null, pendingReview: true });
    const review = await reviewOf(guest.userId);
    expect(review).toMatchObject({ reason: 'conflict' });
    expect(review.candidates.map((c: { id: string }) => c.id)).toEqual([victim.body.id]);
    const member = (await admin.get(`/api/members/${victim.body.id}`)).body;
    expect(member).toMatchObject({ mobile: '+886 922***711', line: { userId: null } });
  });

  it('a guest already bound to a record of their own who binds again to another member’s mobile waits for review; neither record changes', async () => {
    const other = await admin.post('/api/members', { lastName: '張', firstName: '家豪', mobile: '0922000721', notes: '另一位會員' });
    const guest = await newGuest('rebinding-guest');
    expect((await bindWithCode(guest, { lastName: '張', firstName: '家豪', mobile: '0922000722' })).body.status).toBe('created');
    const own = (await guest.liff('GET', '/me')).body.member;
    env.clock.advanceMinutes(1); // one code per guest per 30 seconds
    const again = await bindWithCode(guest, { lastName: '張', firstName: '家豪', mobile: '0922000721' });
    expect(again.body).toEqual({ status: 'pending_review', member: null });
    const review = await reviewOf(guest.userId);
    expect(review).toMatchObject({ reason: 'conflict' });
    expect((await admin.get(`/api/members/${other.body.id}`)).body).toMatchObject({ notes: '另一位會員', line: { userId: null } });
    const search = (await admin.post('/api/members/search', { q: own.memberNo })).body.data;
    expect(search).toHaveLength(1);
    expect((await admin.get(`/api/members/${search[0].id}`)).body).toMatchObject({ mobile: '+886 922***722', line: { userId: guest.userId } });
  });

  it('never guesses: two members with the same mobile send the guest to the staff review queue', async () => {
    const a = await admin.post('/api/members', { lastName: '王', mobile: '0933000333' });
    const b = await admin.post('/api/members', { lastName: '王', firstName: '太太', mobile: '0933000333' });
    const guest = await newGuest('ambiguous-guest');
    const result = await bindWithCode(guest, { lastName: '王', firstName: '先生', mobile: '0933000333' });
    expect(result.body).toEqual({ status: 'pending_review', member: null });
    expect((await guest.liff('GET', '/me')).body).toMatchObject({ member: null, pendingReview: true });

    const queue = (await admin.get('/api/binding-reviews')).body.data;
    const review = queue.find((r: { lineUserId: string }) => r.lineUserId === guest.userId);
    expect(review).toMatchObject({ reason: 'ambiguous', submitted: { mobile: '+886 933***333', name: '王先生' } });
    expect(review.candidates.map((c: { id: string }) => c.id).sort()).toEqual([a.body.id, b.body.id].sort());
    expect(JSON.stringify(review)).not.toContain('0933000333');

    const linked = await admin.post(`/api/binding-reviews/${review.id}/link`, { memberId: a.body.id });
    expect(linked.status).toBe(200);
    expect((await admin.get(`/api/members/${a.body.id}`)).body.line.userId).toBe(guest.userId);
    expect((await admin.post(`/api/binding-reviews/${review.id}/dismiss`)).body.error.code).toBe('binding_review.closed');
    expect((await guest.liff('GET', '/me')).body.member.memberNo).toEqual(expect.any(String));
    // The audit log names the review by the guest’s LINE name and the member it went to (its blank first name filled
    // from what the guest typed), not by an id.
    const audit = (await admin.get(`/api/audit-log?targetType=binding_review&targetId=${review.id}`)).body.data as Array<{ action: string; targetLabel: string | null }>;
    const linkedEntry = audit.find((e) => e.action === 'member.binding_review_linked');
    expect(linkedEntry?.targetLabel).toBe(`LINE ${review.lineDisplayName} → ${a.body.memberNo} 王先生`);
  });

  it('lets a bound guest turn offers off and on', async () => {
    const guest = await newGuest('opt-guest');
    await bindWithCode(guest, { lastName: '蔡', mobile: '0944000444' });
    const off = await guest.liff('PATCH', '/me', { marketingOptIn: false });
    expect(off.body.marketingOptIn).toBe(false);
  });
});

/** The record the follow created, once the queued work has run. */
async function friendRecordOf(userId: string, displayName: string) {
  await env.runtime.queue.drain();
  const found = ((await admin.post('/api/members/search', { q: displayName, pageSize: 50 })).body.data as Array<{ id: string; memberNo: string }>)[0];
  if (found && (await admin.get(`/api/members/${found.id}`)).body.line?.userId === userId) return found;
  throw new Error(`no friend record for ${userId}`);
}

/** What the bot sent the guest, as text (the welcome reply and any pushes). */
const botSaid = (userId: string) => JSON.stringify(sim.sim.inbox(LINE.channelId, userId));

/** Runs the queued work (the pushes), then the bot must have said the text to the guest (`times` times). */
async function waitForBotText(userId: string, text: string, times = 1) {
  await env.runtime.queue.drain();
  if (botSaid(userId).split(text).length - 1 < times) throw new Error(`bot never said ${text} to ${userId}: ${botSaid(userId)}`);
}

async function reviewOf(userId: string) {
  return (await admin.get('/api/binding-reviews')).body.data.find((r: { lineUserId: string }) => r.lineUserId === userId);
}

describe('binding asks staff when the name does not confirm the member (issue 9, item 2)', () => {
  it('a guest typing another name with a member’s mobile waits for review; staff see what was typed; the card comes once approved', async () => {
    const owner = await admin.post('/api/members', { lastName: '王', firstName: '小明', mobile: '0912345601' });
    const guest = await newGuest('wrong-name-guest');
    const friend = await friendRecordOf(guest.userId, guest.displayName);
    const result = await bindWithCode(guest, { lastName: '鄭', firstName: '淑芬', mobile: '0912-345-601', birthday: '1980-02-03', email: 'shufen@example.com' });
    expect(result.body).toEqual({ status: 'pending_review', member: null });
    expect((await guest.liff('GET', '/me')).body).toMatchObject({ member: null, pendingReview: true });
    const member = (await admin.get(`/api/members/${owner.body.id}`)).body;
    expect(member.line).toMatchObject({ userId: null });
    expect(member).toMatchObject({ lastName: '王', firstName: '小明', email: null, birthday: null });

    const review = await reviewOf(guest.userId);
    expect(review).toMatchObject({ reason: 'name_mismatch', submitted: { name: '鄭淑芬', mobile: '+886 912***601', birthday: '1980-02-03', email: expect.stringContaining('@example.com'), marketingOptIn: true } });
    expect(review.candidates.map((c: { id: string }) => c.id)).toEqual([owner.body.id]);
    await env.runtime.queue.drain();
    expect(botSaid(guest.userId)).not.toContain('會員綁定完成');

    const created = await admin.post(`/api/binding-reviews/${review.id}/create`);
    expect(created.status).toBe(200);
    const me = (await guest.liff('GET', '/me')).body;
    // The guest becomes a member on the record made at follow, keeping its number (one guest, one number).
    expect(created.body).toEqual({ memberId: friend.id, memberNo: friend.memberNo });
    expect(me).toMatchObject({ pendingReview: false, member: { lastName: '鄭', firstName: '淑芬', memberNo: friend.memberNo } });
    await waitForBotText(guest.userId, `會員 ${created.body.memberNo}`);
  });

  it('the same name typed another way binds at once: spacing, full width and simplified characters', async () => {
    const owner = await admin.post('/api/members', { lastName: '鄭', firstName: '淑芬', mobile: '0912345602' });
    const guest = await newGuest('variant-name-guest');
    const result = await bindWithCode(guest, { lastName: '郑 ', firstName: '淑 芬', mobile: '0912345602' });
    expect(result.body.status).toBe('linked');
    expect((await admin.get(`/api/members/${owner.body.id}`)).body.line.userId).toBe(guest.userId);
  });

  it('no name typed: review when the member has a name on file, bound when the mobile is all the hotel knows', async () => {
    const settings = (await admin.get('/api/member-portal/settings')).body;
    await admin.request('PUT', '/api/member-portal/settings', { ...settings, registration: { ...settings.registration, name: { enabled: true, required: false } } });
    onTestFinished(async () => void (await admin.request('PUT', '/api/member-portal/settings', settings)));
    await admin.post('/api/members', { lastName: '周', firstName: '美', mobile: '0912345603' });
    const nameless = await newGuest('nameless-guest');
    expect((await bindWithCode(nameless, { mobile: '0912345603' })).body.status).toBe('pending_review');
    expect(await reviewOf(nameless.userId)).toMatchObject({ reason: 'name_mismatch', submitted: { name: '' } });

    const mobileOnly = await admin.post('/api/members', { mobile: '0912345604' });
    const guest = await newGuest('mobile-only-guest');
    expect((await bindWithCode(guest, { mobile: '0912345604' })).body.status).toBe('linked');
    expect((await admin.get(`/api/members/${mobileOnly.body.id}`)).body.line.userId).toBe(guest.userId);
  });
});

describe('binding never records a consent the guest did not give (issue 9, item 3)', () => {
  const consentEvents = async (memberId: string) =>
    ((await admin.get(`/api/members/${memberId}/timeline`)).body.data as Array<{ type: string; details: { source?: string } }>).filter((e) => e.type === 'opted_in' || e.type === 'opted_out');

  it('the offers box left untouched keeps the consent on file, and the card shows it', async () => {
    const member = await admin.post('/api/members', { lastName: '宋', firstName: '家豪', mobile: '0912345605', marketingOptIn: true });
    const before = await consentEvents(member.body.id);
    const guest = await newGuest('untouched-consent');
    const { marketingOptIn: _, ...form } = { lastName: '宋', firstName: '家豪', mobile: '0912345605', marketingOptIn: undefined };
    const result = await guest.liff('POST', '/code', { mobile: form.mobile }).then(async () => guest.liff('POST', '/bind', { ...form, code: await latestSmsCode('+886912345605') }));
    expect(result.body).toMatchObject({ status: 'linked', member: { marketingOptIn: true } });
    const after = (await admin.get(`/api/members/${member.body.id}`)).body;
    expect(after).toMatchObject({ marketingOptIn: true, optInSource: 'staff' });
    expect(await consentEvents(member.body.id)).toEqual(before);
  });

  it('an explicit change by the guest is recorded, with the member area as its source', async () => {
    const member = await admin.post('/api/members', { lastName: '宋', firstName: '家明', mobile: '0912345606', marketingOptIn: true });
    const guest = await newGuest('changed-consent');
    const result = await bindWithCode(guest, { lastName: '宋', firstName: '家明', mobile: '0912345606', marketingOptIn: false });
    expect(result.body).toMatchObject({ status: 'linked', member: { marketingOptIn: false } });
    expect((await admin.get(`/api/members/${member.body.id}`)).body).toMatchObject({ marketingOptIn: false, optInSource: 'liff' });
    expect((await consentEvents(member.body.id))[0]).toMatchObject({ type: 'opted_out', details: { source: 'liff' } });
  });

  it('a review approved by staff keeps the consent on file when the guest left the box untouched', async () => {
    const member = await admin.post('/api/members', { lastName: '宋', firstName: '太太', mobile: '0912345607', marketingOptIn: true });
    const guest = await newGuest('review-consent');
    expect((await guest.liff('POST', '/code', { mobile: '0912345607' })).status).toBe(200);
    const pending = await guest.liff('POST', '/bind', { lastName: '宋', firstName: '先生', mobile: '0912345607', code: await latestSmsCode('+886912345607') });
    expect(pending.body.status).toBe('pending_review');
    const review = await reviewOf(guest.userId);
    expect(review.submitted.marketingOptIn).toBeNull();
    const before = await consentEvents(member.body.id);
    expect((await admin.post(`/api/binding-reviews/${review.id}/link`, { memberId: member.body.id })).status).toBe(200);
    expect((await admin.get(`/api/members/${member.body.id}`)).body).toMatchObject({ marketingOptIn: true, optInSource: 'staff' });
    expect(await consentEvents(member.body.id)).toEqual(before);
  });
});

describe('the guest hears in LINE that the binding is done (issue 9, minor)', () => {
  it('a confirmation is pushed once after binding, and a retried push with the same key is not sent again', async () => {
    const guest = await newGuest('confirmed-guest');
    const bound = await bindWithCode(guest, { lastName: '溫', firstName: '小雨', mobile: '0912345608' });
    expect(bound.body.status).toBe('created');
    await waitForBotText(guest.userId, `會員 ${bound.body.member.memberNo}。`);
    expect(botSaid(guest.userId).split('會員綁定完成！')).toHaveLength(2);
    // The push was a job committed with the binding (an outbox), not a call made in memory after it: one job, done.
    const jobs = await env.runtime.db.ownerTransaction((owner) =>
      owner.query<{ state: string; retry_key: string }>(`select state, data->>'retryKey' as retry_key from pgboss.job where name = 'line.push-text' and data->>'to' = $1`, [guest.userId]),
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.retry_key).toMatch(/^[0-9a-f-]{36}$/);

    const { pushOnce } = await import('../../line/index.ts');
    const message = { accessToken: LINE.channelAccessToken, to: guest.userId, messages: [{ type: 'text' as const, text: '重送測試' }], retryKey: '8d3f4c2a-1b7e-4f10-9a55-3c2b1d0e9f87' };
    expect(await pushOnce(env.runtime.lineApi, message)).toBe('sent');
    expect(await pushOnce(env.runtime.lineApi, message)).toBe('already_sent');
    expect(botSaid(guest.userId).split('重送測試')).toHaveLength(2);
  });

  it('a guest whose review staff dismiss is told in LINE that the binding was not completed, once', async () => {
    await admin.post('/api/members', { lastName: '趙', firstName: '大年', mobile: '0912345611' });
    const guest = await newGuest('dismissed-guest');
    expect((await bindWithCode(guest, { lastName: '錢', firstName: '小姐', mobile: '0912345611' })).body.status).toBe('pending_review');
    const review = await reviewOf(guest.userId);
    expect((await admin.post(`/api/binding-reviews/${review.id}/dismiss`)).status).toBe(200);
    await waitForBotText(guest.userId, '這次綁定沒有完成');
    expect(botSaid(guest.userId)).not.toContain('會員綁定完成');
    expect((await admin.post(`/api/binding-reviews/${review.id}/dismiss`)).status).toBe(409);
    await env.runtime.queue.drain();
    expect(botSaid(guest.userId).split('這次綁定沒有完成')).toHaveLength(2);
  });
});

describe('a bound guest keeps one member number (issue 9, minor)', () => {
  it('a new guest keeps the number given at follow; a guest found as a member keeps the member’s, and the friend record’s number is named in the history', async () => {
    const newcomer = await newGuest('numbered-newcomer');
    const friend = await friendRecordOf(newcomer.userId, newcomer.displayName);
    const created = await bindWithCode(newcomer, { lastName: '簡', firstName: '一', mobile: '0912345609' });
    expect(created.body).toMatchObject({ status: 'created', member: { memberNo: friend.memberNo } });

    const existing = await admin.post('/api/members', { lastName: '簡', firstName: '二', mobile: '0912345610' });
    const known = await newGuest('numbered-known');
    const knownFriend = await friendRecordOf(known.userId, known.displayName);
    const linked = await bindWithCode(known, { lastName: '簡', firstName: '二', mobile: '0912345610' });
    expect(linked.body).toMatchObject({ status: 'linked', member: { memberNo: existing.body.memberNo } });
    // The friend's provisional number is retired with its record (numbers are not reused); the member's history names it.
    const bound = ((await admin.get(`/api/members/${existing.body.id}/timeline`)).body.data as Array<{ type: string; details: Record<string, unknown> }>).find((e) => e.type === 'bound');
    expect(bound?.details.mergedFriendRecord).toBe(knownFriend.memberNo);
    expect((await admin.get(`/api/members/${knownFriend.id}`)).status).toBe(404);
  });
});

describe('binding refuses bad input and changes nothing', () => {
  it('refuses missing, forged and other-channel tokens', async () => {
    const noToken = await env.app.inject({ method: 'GET', url: `/api/liff/${tenant.tenantId}/${channelId}/me` });
    expect(noToken.statusCode).toBe(401);
    const forged = await env.app.inject({ method: 'GET', url: `/api/liff/${tenant.tenantId}/${channelId}/me`, headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.xxxx' } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('liff.invalid_token');
    sim.sim.createChannel({ channelId: '2008000101', loginChannelId: '2008000102' });
    const [other] = sim.sim.addFriends('2008000101', { count: 1, seed: 'other-channel' });
    const otherToken = sim.sim.issueIdToken('2008000101', { userId: other!.userId });
    const wrongChannel = await env.app.inject({ method: 'GET', url: `/api/liff/${tenant.tenantId}/${channelId}/me`, headers: { authorization: `Bearer ${otherToken}` } });
    expect(wrongChannel.statusCode).toBe(401);
  });

  it('refuses an expired token', async () => {
    const guest = await newGuest('expired-guest');
    simClock.advance(2 * 3_600_000);
    expect((await guest.liff('GET', '/me')).status).toBe(401);
  });

  it('throttles codes and rejects invalid mobiles and ID numbers with field errors', async () => {
    const guest = await newGuest('throttled-guest');
    expect((await guest.liff('POST', '/code', { mobile: '0955000555' })).status).toBe(200);
    const again = await guest.liff('POST', '/code', { mobile: '0955000555' });
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('liff.too_many_codes');
    const badMobile = await guest.liff('POST', '/code', { mobile: '12345' });
    expect(badMobile.status).toBe(400);
    expect(badMobile.body.error.details.issues[0].path).toBe('mobile');
    const badId = await guest.liff('POST', '/bind', { mobile: '0955000555', identity: { type: 'national_id', number: 'A123456780' }, marketingOptIn: false, code: '123456' });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details.issues[0]).toMatchObject({ path: 'identity.number', message: '身分證字號檢查碼不正確，請再確認號碼。' });
  });

  it('locks the code after five wrong attempts', async () => {
    const guest = await newGuest('guessing-guest');
    await guest.liff('POST', '/code', { mobile: '0966000666' });
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await guest.liff('POST', '/bind', { lastName: '猜', mobile: '0966000666', marketingOptIn: false, code: '999999' })).body.error.code);
    expect(results).toEqual(['liff.wrong_code', 'liff.wrong_code', 'liff.wrong_code', 'liff.wrong_code', 'liff.code_expired']);
    const right = await guest.liff('POST', '/bind', { lastName: '猜', mobile: '0966000666', marketingOptIn: false, code: await latestSmsCode('+886966000666') });
    expect(right.body.error.code).toBe('liff.code_expired');
  });
});


