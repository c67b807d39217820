import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherHotel, signedInAs, startSignedIn, type ApiClient, type ApiResponse } from './api-client.ts';
import { createTestTenant, type TestEnv } from './harness.ts';

/**
 * The attack review of 2026-12-07, races: on PostgreSQL (TEST_DATABASE_URL), where requests' transactions overlap.
 * More people using one template at once than the service's five attempts; two hotels using it at the same moment; a
 * rename racing two others for one name; the campaign settings written by several people at once.
 */
let env: TestEnv;
let admin: ApiClient;
let otherAdmin: ApiClient;
const SLOW = 180_000;

beforeAll(async () => {
  ({ env, admin } = await startSignedIn());
  expect(env.engine).toBe('postgres');
  ({ otherAdmin } = await anotherHotel(env, 'atk-race-other'));
}, SLOW);
afterAll(() => env.close());

const send = { kind: 'send', messages: [{ type: 'text', text: '生日快樂！' }] };
const bodies = (answers: ApiResponse[]) => JSON.stringify(answers.map((a) => [a.status, a.body]));

describe('template uses racing', () => {
  it('ten uses of one template at once in one hotel and two in another: every use is a rule, every name its own, each hotel numbered on its own', async () => {
    // Once first in each hotel, so the template's tag exists: the tag's own creation is not what races here.
    expect((await admin.post('/api/automation/rules/from-template', { templateKey: 'family_travel' })).status).toBe(201);
    expect((await otherAdmin.post('/api/automation/rules/from-template', { templateKey: 'family_travel' })).status).toBe(201);
    const ours = Array.from({ length: 10 }, () => admin.post('/api/automation/rules/from-template', { templateKey: 'family_travel' }));
    const theirs = Array.from({ length: 2 }, () => otherAdmin.post('/api/automation/rules/from-template', { templateKey: 'family_travel' }));
    const answers = await Promise.all([...ours, ...theirs]);
    expect(answers.map((a) => a.status), bodies(answers)).toEqual(Array.from({ length: 12 }, () => 201));
    const names = (client: ApiClient) => client.get('/api/automation/rules').then((r) => (r.body.data as Array<{ name: string }>).map((x) => x.name).sort());
    expect(await names(admin)).toEqual(['家庭旅遊推播', ...Array.from({ length: 10 }, (_, i) => `家庭旅遊推播（${i + 2}）`)].sort());
    expect(await names(otherAdmin)).toEqual(['家庭旅遊推播', '家庭旅遊推播（2）', '家庭旅遊推播（3）']);
  }, SLOW);

  it('a template’s first two uses at once, while the hotel has none of its tags: two rules, one tag', async () => {
    const fresh = await createTestTenant(env, { slug: `atk-race-fresh-${Date.now()}` });
    const freshAdmin = await signedInAs(env, fresh.adminEmail, fresh.password);
    const answers = await Promise.all([0, 1].map(() => freshAdmin.post('/api/automation/rules/from-template', { templateKey: 'business_stay' })));
    expect(answers.map((a) => a.status), bodies(answers)).toEqual([201, 201]);
    expect(answers.map((a) => a.body.name).sort()).toEqual(['商務住宿優惠', '商務住宿優惠（2）']);
    const tags = (await freshAdmin.get('/api/tags?search=商務客')).body.data as Array<{ name: string }>;
    expect(tags.filter((t) => t.name === '商務客')).toHaveLength(1);
  }, SLOW);
});

describe('renames racing', () => {
  it('three rules renamed to one name at once: one has it, two are told 409 and keep their names', async () => {
    for (let round = 0; round < 5; round += 1) {
      const made = await Promise.all([0, 1, 2].map((n) => admin.post('/api/automation/rules', { name: `三方搶名 ${round}-${n}`, trigger: { kind: 'birthday', hour: 9 }, steps: [send] })));
      const name = `三方同名 ${round}`;
      const answers = await Promise.all(made.map((m) => admin.patch(`/api/automation/rules/${m.body.id}`, { name, version: m.body.version })));
      expect(answers.map((a) => a.status).sort(), bodies(answers)).toEqual([200, 409, 409]);
      for (const [n, answer] of answers.entries()) {
        expect((await admin.get(`/api/automation/rules/${made[n]!.body.id}`)).body.name).toBe(answer.status === 200 ? name : `三方搶名 ${round}-${n}`);
      }
    }
  }, SLOW);
});

describe('campaign settings written at once', () => {
  it('eight writes of different settings: each answered 200, and what stays is one write whole (never one’s cap with another’s hours)', async () => {
    expect((await otherAdmin.request('PUT', '/api/campaign-settings', { weeklyCap: 42, quietHours: { start: '21:00', end: '09:00' } })).status).toBe(200);
    const writes = Array.from({ length: 8 }, (_, n) => ({ weeklyCap: n + 1, quietHours: { start: `2${n % 4}:0${n}`, end: `0${n}:30` } }));
    const answers = await Promise.all(writes.map((w) => admin.request('PUT', '/api/campaign-settings', w)));
    expect(answers.map((a) => a.status), bodies(answers)).toEqual(writes.map(() => 200));
    const kept = (await admin.get('/api/campaign-settings')).body;
    expect(writes).toContainEqual(kept);
    // The other hotel's settings were not touched by any of them.
    expect((await otherAdmin.get('/api/campaign-settings')).body).toEqual({ weeklyCap: 42, quietHours: { start: '21:00', end: '09:00' } });
  }, SLOW);
});
