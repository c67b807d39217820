import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherHotel, startSignedIn, type ApiClient, type ApiResponse } from './api-client.ts';
import { type TestEnv, type TestTenant } from './harness.ts';

/**
 * Attack review 2026-12-07b (atk3), races on PostgreSQL (TEST_DATABASE_URL), where requests' transactions overlap:
 * rule names differing only in case saved at once (unique index on lower(name), migration 0060), template uses at
 * once while a rule has the template's name in another case, and pause / resume / cancel racing on a campaign's
 * paused_spans (campaigns.repository.ts transition).
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let otherAdmin: ApiClient;
const SLOW = 180_000;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  expect(env.engine).toBe('postgres');
  ({ otherAdmin } = await anotherHotel(env, 'atk3-race-other'));
}, SLOW);
afterAll(() => env.close());

const send = { kind: 'send', messages: [{ type: 'text', text: '生日快樂！' }] };
const rule = (name: string) => ({ name, trigger: { kind: 'birthday', hour: 9 }, steps: [send] });
const bodies = (answers: ApiResponse[]) => JSON.stringify(answers.map((a) => [a.status, a.body]));

describe('names in another case, at once', () => {
  it('holds: 「VIP n」 and 「vip n」 saved at once (and one more in another hotel): one of ours is 201, the other 409 automation.name_taken, theirs 201', async () => {
    for (let round = 0; round < 8; round += 1) {
      const answers = await Promise.all([admin.post('/api/automation/rules', rule(`VIP 同時 ${round}`)), admin.post('/api/automation/rules', rule(`vip 同時 ${round}`)), otherAdmin.post('/api/automation/rules', rule(`Vip 同時 ${round}`))]);
      expect(answers.slice(0, 2).map((a) => [a.status, a.body.error?.code]).sort(), bodies(answers)).toEqual([[201, undefined], [409, 'automation.name_taken']]);
      expect(answers[2]!.status).toBe(201);
    }
  }, SLOW);

  it('holds: two rules renamed at once to 「X」 and 「x」: one has it, the other is told 409 and keeps its name', async () => {
    for (let round = 0; round < 6; round += 1) {
      const made = await Promise.all([0, 1].map((n) => admin.post('/api/automation/rules', rule(`改名 ${round}-${n}`))));
      const answers = await Promise.all(made.map((m, n) => admin.patch(`/api/automation/rules/${m.body.id}`, { name: `${n === 0 ? 'LATE' : 'late'} 改名 ${round}`, version: m.body.version })));
      expect(answers.map((a) => a.status).sort(), bodies(answers)).toEqual([200, 409]);
    }
  }, SLOW);

  it('holds: ten uses of a template at once while a rule has its name in lower case: ten rules, names unique in any case', async () => {
    expect((await admin.post('/api/automation/rules', rule('vip 續住優惠'))).status).toBe(201);
    expect((await admin.post('/api/automation/rules', rule('VIP 續住優惠（3）'.toLowerCase()))).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' })));
    expect(answers.map((a) => a.status), bodies(answers)).toEqual(Array.from({ length: 10 }, () => 201));
    const names = ((await admin.get('/api/automation/rules')).body.data as Array<{ name: string }>).map((r) => r.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(answers.map((a) => a.body.name).sort()).toEqual(['（2）', '（4）', '（5）', '（6）', '（7）', '（8）', '（9）', '（10）', '（11）', '（12）'].map((n) => `VIP 續住優惠${n}`).sort());
  }, SLOW);
});

type Span = { from: string; to: string | null };

describe('pause, resume and cancel racing on paused_spans', () => {
  async function sendingCampaign(name: string): Promise<string> {
    const made = await admin.post('/api/campaigns', { name, propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '您好' }] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // Sending, its audience still being written: a resume then does not find it settled and finish it.
    await env.runtime.db.ownerTransaction((owner) => owner.exec(`update campaigns set status = 'sending', audience_pending = true where tenant_id = '${tenant.tenantId}' and id = '${made.body.id}'`));
    return made.body.id;
  }
  const read = async (id: string) => {
    const [row] = await env.runtime.db.ownerTransaction((owner) => owner.query<{ status: string; paused_spans: Span[] }>(`select status, paused_spans from campaigns where id = $1`, [id]));
    return row!;
  };
  /** The spans' invariant: all closed but the last, which is open exactly while the campaign is paused. */
  const consistent = (row: { status: string; paused_spans: Span[] }) => {
    const open = row.paused_spans.filter((s) => s.to === null).length;
    const lastOpen = row.paused_spans.at(-1)?.to === null;
    return open === (row.status === 'paused' ? 1 : 0) && (open === 0 || lastOpen);
  };

  it('holds: pauses and resumes fired together, then resume and cancel together: one span per accepted pause, closed per accepted resume, never two open', async () => {
    const id = await sendingCampaign('暫停競賽');
    let pauses = 0;
    let resumes = 0;
    for (let round = 0; round < 15; round += 1) {
      env.clock.advanceMinutes(1);
      const answers = await Promise.all([
        admin.post(`/api/campaigns/${id}/pause`),
        admin.post(`/api/campaigns/${id}/resume`),
        admin.post(`/api/campaigns/${id}/pause`),
        admin.post(`/api/campaigns/${id}/resume`),
      ]);
      expect(answers.every((a) => a.status === 200 || a.status === 409), bodies(answers)).toBe(true);
      pauses += [answers[0]!, answers[2]!].filter((a) => a.status === 200).length;
      resumes += [answers[1]!, answers[3]!].filter((a) => a.status === 200).length;
      const row = await read(id);
      expect(consistent(row), JSON.stringify(row)).toBe(true);
      expect([row.paused_spans.length, row.paused_spans.filter((s) => s.to !== null).length]).toEqual([pauses, resumes]);
    }
    // The races did happen: several pauses and resumes were accepted along the way.
    expect([pauses > 3, resumes > 3]).toEqual([true, true]);
    if ((await read(id)).status === 'sending') expect((await admin.post(`/api/campaigns/${id}/pause`)).status).toBe(200);
    const end = await Promise.all([admin.post(`/api/campaigns/${id}/resume`), admin.post(`/api/campaigns/${id}/cancel`), admin.post(`/api/campaigns/${id}/cancel`)]);
    expect(end.filter((a) => a.status === 200).length, bodies(end)).toBeGreaterThanOrEqual(1);
    const row = await read(id);
    expect(row.status).toBe('cancelled');
    expect(row.paused_spans.every((s) => s.to !== null), JSON.stringify(row)).toBe(true);
  }, SLOW);
});
