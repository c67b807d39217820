import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherHotel, startSignedIn, type ApiClient, type ApiResponse } from './api-client.ts';
import { type TestEnv, type TestTenant } from './harness.ts';

/**
 * Attack review 2026-12-07c (atk4), races on PostgreSQL (TEST_DATABASE_URL), where requests' transactions overlap:
 * tag creates and renames whose names differ only in case or after cleaning (unique index on lower(name), migration
 * 0063, withNameCheck's savepoint and holder lookup), template uses racing staff names (firstFreeName and its retry),
 * and pauses at the 100-span bound. Every test asserts the safe behaviour.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let otherAdmin: ApiClient;
const SLOW = 180_000;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  expect(env.engine).toBe('postgres');
  ({ otherAdmin } = await anotherHotel(env, 'atk4-race-other'));
}, SLOW);
afterAll(() => env.close());

const bodies = (answers: ApiResponse[]) => JSON.stringify(answers.map((a) => [a.status, a.body]));
const tagNames = async () => ((await admin.get('/api/tags')).body.data as Array<{ id: string; name: string }>);

describe('tag names at once', () => {
  it('holds: five spellings of one name (case, soft hyphen, spaces, decomposed accent) at once, and one in another hotel: one of ours is made, the others are refused naming it', async () => {
    for (let round = 0; round < 6; round += 1) {
      const spellings = [`Élite ${round}`, `élite ${round}`, `ÉLITE ${round}`, `E\u0301li\u00ADte ${round}`, ` élite ${round}\u200B`];
      const answers = await Promise.all([...spellings.map((name) => admin.post('/api/tags', { name, kind: 'basic' })), otherAdmin.post('/api/tags', { name: `elite ${round}`, kind: 'basic' })]);
      const ours = answers.slice(0, spellings.length);
      expect(ours.map((a) => a.status).sort(), bodies(answers)).toEqual([201, 409, 409, 409, 409]);
      expect(answers.at(-1)!.status).toBe(201);
      const made = ours.find((a) => a.status === 201)!.body;
      for (const refused of ours.filter((a) => a.status === 409)) expect(refused.body.error.details, bodies(answers)).toEqual({ field: 'name', name: made.name, tagId: made.id });
    }
  }, SLOW);

  it('holds: A renamed to B’s name in another case while B is renamed away: no 500, and names stay unique in any case', async () => {
    for (let round = 0; round < 8; round += 1) {
      const a = (await admin.post('/api/tags', { name: `Alpha ${round}`, kind: 'basic' })).body;
      const b = (await admin.post('/api/tags', { name: `Beta ${round}`, kind: 'basic' })).body;
      const answers = await Promise.all([admin.patch(`/api/tags/${a.id}`, { name: `beta ${round}` }), admin.patch(`/api/tags/${b.id}`, { name: `Gamma ${round}` })]);
      expect(answers[1]!.status, bodies(answers)).toBe(200);
      expect([200, 409], bodies(answers)).toContain(answers[0]!.status);
      if (answers[0]!.status === 409) expect(answers[0]!.body.error.details.tagId).toBe(b.id);
    }
    const lowered = (await tagNames()).map((t) => t.name.toLowerCase());
    expect(new Set(lowered).size).toBe(lowered.length);
  }, SLOW);

  it('holds: two tags swapping names (A → b, B → a) at once: each is 200 or 409 tag.name_taken, never a 500 (a deadlock between the two unique checks)', async () => {
    for (let round = 0; round < 8; round += 1) {
      const a = (await admin.post('/api/tags', { name: `Swap A ${round}`, kind: 'basic' })).body;
      const b = (await admin.post('/api/tags', { name: `Swap B ${round}`, kind: 'basic' })).body;
      const answers = await Promise.all([admin.patch(`/api/tags/${a.id}`, { name: `swap b ${round}` }), admin.patch(`/api/tags/${b.id}`, { name: `swap a ${round}` })]);
      for (const answer of answers) expect([200, 409], bodies(answers)).toContain(answer.status);
    }
  }, SLOW);
});

describe('template uses and staff names at once', () => {
  it('holds: six uses of one template and staff creating 「商務住宿優惠（n）」 at once: no 500, every rule name unique in any case', async () => {
    const rule = (name: string) => ({ name, trigger: { kind: 'birthday', hour: 9 }, steps: [{ kind: 'send', messages: [{ type: 'text', text: '您好' }] }] });
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => admin.post('/api/automation/rules/from-template', { templateKey: 'business_stay' })),
      ...[2, 3, 4].map((n) => admin.post('/api/automation/rules', rule(`商務住宿優惠（${n}）`))),
      otherAdmin.post('/api/automation/rules/from-template', { templateKey: 'business_stay' }),
    ]);
    for (const answer of answers.slice(0, 6)) expect(answer.status, bodies(answers)).toBe(201);
    for (const answer of answers.slice(6, 9)) expect([201, 409], bodies(answers)).toContain(answer.status);
    expect(answers.at(-1)!.body.name).toBe('商務住宿優惠');
    const names = ((await admin.get('/api/automation/rules')).body.data as Array<{ name: string }>).map((r) => r.name.toLowerCase());
    expect(new Set(names).size, JSON.stringify(names)).toBe(names.length);
    // The template's tag was made once.
    expect((await tagNames()).filter((t) => t.name === '商務客')).toHaveLength(1);
  }, SLOW);

  it('holds: a template use racing a staff member creating the template’s tag 「家庭客」 (no template lock): no 500', async () => {
    const answers = await Promise.all([admin.post('/api/automation/rules/from-template', { templateKey: 'family_travel' }), admin.post('/api/tags', { name: '家庭客', kind: 'campaign' })]);
    for (const answer of answers) expect([201, 409], bodies(answers)).toContain(answer.status);
    expect((await tagNames()).filter((t) => t.name === '家庭客')).toHaveLength(1);
  }, SLOW);
});

describe('pauses at the bound, at once', () => {
  it('holds: pause / resume / cancel racing on a campaign at 99 spans: at most 100 kept, at most one open (the last, only while paused), none overlapping', async () => {
    const made = await admin.post('/api/campaigns', { name: `邊界暫停 ${Date.now()}`, propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '您好' }] });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    const spans = Array.from({ length: 99 }, (_, i) => ({ from: new Date(Date.UTC(2026, 10, 1, 0, i * 2)).toISOString(), to: new Date(Date.UTC(2026, 10, 1, 0, i * 2 + 1)).toISOString() }));
    await env.runtime.db.ownerTransaction((owner) => owner.query(`update campaigns set status = 'sending', paused_spans = $2::jsonb where id = $1`, [id, JSON.stringify(spans)]));
    for (let round = 0; round < 6; round += 1) {
      const answers = await Promise.all(['pause', 'resume', 'pause', 'resume', 'pause'].map((action) => admin.post(`/api/campaigns/${id}/${action}`)));
      for (const answer of answers) expect(answer.status, bodies(answers)).toBeLessThan(500);
      env.clock.advanceMinutes(1);
    }
    await Promise.all([admin.post(`/api/campaigns/${id}/cancel`), admin.post(`/api/campaigns/${id}/pause`), admin.post(`/api/campaigns/${id}/resume`)]);
    const [row] = await env.runtime.db.ownerTransaction((owner) => owner.query<{ status: string; paused_spans: Array<{ from: string; to: string | null }> }>('select status, paused_spans from campaigns where id = $1', [id]));
    const kept = row!.paused_spans;
    expect(kept.length).toBeLessThanOrEqual(100);
    const open = kept.filter((s) => s.to === null);
    expect(open.length).toBe(row!.status === 'paused' ? 1 : 0);
    if (open.length) expect(kept.at(-1)!.to).toBeNull();
    for (let i = 1; i < kept.length; i++) expect(Date.parse(kept[i]!.from), JSON.stringify(kept.slice(i - 1, i + 1))).toBeGreaterThanOrEqual(Date.parse(kept[i - 1]!.to!));
    expect(tenant.tenantId).toBeDefined();
  }, SLOW);
});
