import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv } from '../../../../test/harness.ts';

/**
 * A rule's name is unique in its tenant (migration 0058's index, not a read before the write): on PostgreSQL
 * (TEST_DATABASE_URL), where the requests' transactions really overlap, two saves of the same name at once end with
 * one rule of that name and the other refused as automation.name_taken; a template used by several people at once
 * gives each their own 「名稱（n）」.
 */
let env: TestEnv;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, admin } = await startSignedIn());
  expect(env.engine).toBe('postgres');
}, 120_000);
afterAll(() => env.close());

const send = { kind: 'send', messages: [{ type: 'text', text: '生日快樂！' }] };

describe('two rules of one name at once', () => {
  it('two creates with the same name: one is made, the other refused with 409 automation.name_taken', async () => {
    for (let round = 0; round < 10; round += 1) {
      const name = `同時建立 ${round}`;
      const answers = await Promise.all([0, 1].map(() => admin.post('/api/automation/rules', { name, trigger: { kind: 'birthday', hour: 9 }, steps: [send] })));
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([201, 409]);
      expect(answers.find((a) => a.status === 409)!.body.error).toMatchObject({ code: 'automation.name_taken', details: { field: 'name' } });
      const named = (await admin.get('/api/automation/rules')).body.data.filter((r: { name: string }) => r.name === name);
      expect(named).toHaveLength(1);
      expect(named[0].id).toBe(answers.find((a) => a.status === 201)!.body.id);
    }
  }, 120_000);

  it('two creates whose names differ only in width (migration 0064): one is made, the other refused', async () => {
    for (let round = 0; round < 10; round += 1) {
      const answers = await Promise.all([`ＶＩＰ 同寬 ${round}`, `vip 同寬 ${round}`].map((name) => admin.post('/api/automation/rules', { name, trigger: { kind: 'birthday', hour: 9 }, steps: [send] })));
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([201, 409]);
      expect(answers.find((a) => a.status === 409)!.body.error).toMatchObject({ code: 'automation.name_taken', details: { field: 'name' } });
      expect((await admin.get('/api/automation/rules')).body.data.filter((r: { name: string }) => r.name.normalize('NFKC').toLowerCase() === `vip 同寬 ${round}`)).toHaveLength(1);
    }
  }, 120_000);

  it('a rename and a create racing for one name: one of them has it', async () => {
    for (let round = 0; round < 10; round += 1) {
      const name = `改名搶名 ${round}`;
      const other = await admin.post('/api/automation/rules', { name: `原名 ${round}`, trigger: { kind: 'birthday', hour: 9 }, steps: [send] });
      const [renamed, created] = await Promise.all([
        admin.patch(`/api/automation/rules/${other.body.id}`, { name, version: other.body.version }),
        admin.post('/api/automation/rules', { name, trigger: { kind: 'birthday', hour: 9 }, steps: [send] }),
      ]);
      expect([renamed.status, created.status].sort(), JSON.stringify([renamed.body, created.body])).toEqual(renamed.status === 200 ? [200, 409] : [201, 409]);
      expect((await admin.get('/api/automation/rules')).body.data.filter((r: { name: string }) => r.name === name)).toHaveLength(1);
    }
  }, 120_000);

  it('four uses of one template at once make four rules with four names', async () => {
    // Once first, so its tag (商務客) exists: making a tag is not what races here.
    expect((await admin.post('/api/automation/rules/from-template', { templateKey: 'business_stay' })).body.name).toBe('商務住宿優惠');
    const answers = await Promise.all([0, 1, 2, 3].map(() => admin.post('/api/automation/rules/from-template', { templateKey: 'business_stay' })));
    expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).toEqual([201, 201, 201, 201]);
    expect(answers.map((a) => a.body.name).sort()).toEqual(['商務住宿優惠（2）', '商務住宿優惠（3）', '商務住宿優惠（4）', '商務住宿優惠（5）']);
  }, 120_000);
});
