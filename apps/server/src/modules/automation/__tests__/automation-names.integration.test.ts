import { AUTOMATION_FIELD_MESSAGES, ERROR_CATALOG } from '@innkeeper/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startSignedIn, type ApiResponse } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';

/**
 * Browser review of the automation pages: a rule's name is the hotel's way to tell its rules apart (in the list, the
 * audit log, a guest's tag history), so no two rules of a tenant share one. A name staff typed is refused when taken
 * (409 automation.name_taken at the name field, in the caller's language); a template used again names its new rule
 * 「名稱（2）」. A number out of range is refused with its range, not moved into it.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let english: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  english = new ApiClient(env, { locale: 'en' });
  await english.signIn(tenant.adminEmail, tenant.password);
}, 60_000);
afterAll(() => env.close());

const send = { kind: 'send', messages: [{ type: 'text', text: '生日快樂！' }] };
const rule = (name: string, extra: Record<string, unknown> = {}) => ({ name, trigger: { kind: 'birthday', hour: 9 }, steps: [send], ...extra });
const refusal = (r: ApiResponse) => [r.status, r.body.error?.code, r.body.error?.details?.field, r.body.error?.message];
const issuesOf = (r: ApiResponse) => [r.status, (r.body.error?.details?.issues ?? []).map((i: { path: string; message: string }) => [i.path, i.message])];

describe('rule names', () => {
  it('a name another rule has is refused at the name field, in Chinese and in English; the rule keeping its own name saves', async () => {
    const first = await admin.post('/api/automation/rules', rule('生日祝福'));
    expect(first.status).toBe(201);
    const taken = ERROR_CATALOG['automation.name_taken'];
    expect(refusal(await admin.post('/api/automation/rules', rule('生日祝福')))).toEqual([409, 'automation.name_taken', 'name', taken['zh-TW']]);
    // The schema trims a name: spaces around it make no new one. In English for staff who chose English (a signed-in
    // account's messages follow its chosen language).
    expect((await english.patch('/api/auth/me', { locale: 'en' })).status).toBe(200);
    expect(refusal(await english.post('/api/automation/rules', rule('  生日祝福 ')))).toEqual([409, 'automation.name_taken', 'name', taken.en]);
    expect((await english.patch('/api/auth/me', { locale: 'zh-TW' })).status).toBe(200);

    const second = await admin.post('/api/automation/rules', rule('生日祝福 VIP'));
    expect(second.status).toBe(201);
    expect(refusal(await admin.patch(`/api/automation/rules/${second.body.id}`, { name: '生日祝福', version: second.body.version }))).toEqual([409, 'automation.name_taken', 'name', taken['zh-TW']]);
    // Saving a rule under the name it has is no clash with itself.
    expect((await admin.patch(`/api/automation/rules/${first.body.id}`, { name: '生日祝福', steps: [send, send], version: first.body.version })).status).toBe(200);
    const names = (await admin.get('/api/automation/rules')).body.data.map((r: { name: string }) => r.name).sort();
    expect(names).toEqual(['生日祝福', '生日祝福 VIP']);
  });

  it('a template used again makes a rule named 「名稱（2）」, skipping numbers another rule has', async () => {
    const use = async (templateKey: string) => {
      const created = await admin.post('/api/automation/rules/from-template', { templateKey });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.name as string;
    };
    expect(await use('business_stay')).toBe('商務住宿優惠');
    expect(await use('business_stay')).toBe('商務住宿優惠（2）');
    expect((await admin.post('/api/automation/rules', rule('家庭旅遊推播（2）'))).status).toBe(201);
    expect(await use('family_travel')).toBe('家庭旅遊推播');
    expect(await use('family_travel')).toBe('家庭旅遊推播（3）');
    expect(await use('business_stay')).toBe('商務住宿優惠（3）');
    // A name typed like a template's copy is still refused when taken.
    expect((await admin.post('/api/automation/rules', rule('商務住宿優惠（2）'))).body.error.code).toBe('automation.name_taken');
  });
});

describe('names that look alike are one name (attack review)', () => {
  const taken = ERROR_CATALOG['automation.name_taken'];

  it('a name differing only in case is taken, on create and on change', async () => {
    expect((await admin.post('/api/automation/rules', rule('Late Checkout 延遲退房'))).status).toBe(201);
    expect(refusal(await admin.post('/api/automation/rules', rule('late checkout 延遲退房')))).toEqual([409, 'automation.name_taken', 'name', taken['zh-TW']]);
    const other = await admin.post('/api/automation/rules', rule('Early Check-in'));
    expect(refusal(await admin.patch(`/api/automation/rules/${other.body.id}`, { name: 'LATE CHECKOUT 延遲退房', version: other.body.version }))).toEqual([409, 'automation.name_taken', 'name', taken['zh-TW']]);
    // A rule may change the case of its own name.
    expect((await admin.patch(`/api/automation/rules/${other.body.id}`, { name: 'early check-in', version: other.body.version })).body.name).toBe('early check-in');
  });

  it('zero-width characters are removed and a decomposed accent is composed when saved, so look-alikes are refused', async () => {
    const made = await admin.post('/api/automation/rules', rule('\u200BCafe\u0301\u2060 早鳥\u200D優惠\uFEFF '));
    expect(made.status).toBe(201);
    expect(made.body.name).toBe('Café 早鳥優惠');
    expect((await admin.get(`/api/automation/rules/${made.body.id}`)).body.name).toBe('Café 早鳥優惠');
    expect(refusal(await admin.post('/api/automation/rules', rule('café 早鳥\u200C優惠')))).toEqual([409, 'automation.name_taken', 'name', taken['zh-TW']]);
    expect(refusal(await admin.post('/api/automation/rules', rule('Cafe\u0301 早鳥優惠')))).toEqual([409, 'automation.name_taken', 'name', taken['zh-TW']]);
  });

  it('a name of spaces and invisible characters is no name', async () => {
    expect(issuesOf(await admin.post('/api/automation/rules', rule(' \u200B\u3000\uFEFF ')))).toEqual([400, [['name', '此欄位為必填。']]]);
  });

  it('a template used when a rule has its name in another case is numbered past it', async () => {
    expect((await admin.post('/api/automation/rules', rule('vip 續住優惠'))).status).toBe(201);
    expect((await admin.post('/api/automation/rules', rule('Vip 續住優惠（2）'))).status).toBe(201);
    const created = await admin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.name).toBe('VIP 續住優惠（3）');
  });
});

describe('numbers out of range are refused with their range, not moved into it', () => {
  const message = (key: string, locale: 'zh-TW' | 'en' = 'zh-TW') => AUTOMATION_FIELD_MESSAGES[key]![locale];

  it('the hour of a time trigger: 30 and 23.5 and none are refused, 0 and 23 kept', async () => {
    expect(issuesOf(await admin.post('/api/automation/rules', rule('三十點', { trigger: { kind: 'birthday', hour: 30 } })))).toEqual([400, [['trigger.hour', message('field.automation_hour')]]]);
    expect(issuesOf(await english.post('/api/automation/rules', rule('半點', { trigger: { kind: 'checked_out', days: 3, hour: 23.5 } })))).toEqual([400, [['trigger.hour', message('field.automation_hour', 'en')]]]);
    expect(issuesOf(await admin.post('/api/automation/rules', rule('沒有時間', { trigger: { kind: 'birthday', hour: null } })))).toEqual([400, [['trigger.hour', message('field.automation_hour')]]]);
    for (const hour of [0, 23]) {
      const made = await admin.post('/api/automation/rules', rule(`生日 ${hour} 點`, { trigger: { kind: 'birthday', hour } }));
      expect(made.status).toBe(201);
      expect(made.body.trigger).toEqual({ kind: 'birthday', hour });
    }
  });

  it('days after check-out or before arrival 0–365, days without interaction 1–3650', async () => {
    expect(issuesOf(await admin.post('/api/automation/rules', rule('退房一年多', { trigger: { kind: 'checked_out', days: 400, hour: 10 } })))).toEqual([400, [['trigger.days', message('field.automation_days')]]]);
    expect(issuesOf(await admin.post('/api/automation/rules', rule('到店前負一天', { trigger: { kind: 'arrival', days: -1, hour: 10 } })))).toEqual([400, [['trigger.days', message('field.automation_days')]]]);
    expect(issuesOf(await english.post('/api/automation/rules', rule('Quiet zero', { trigger: { kind: 'no_interaction', days: 0, hour: 10 } })))).toEqual([400, [['trigger.days', message('field.automation_quiet_days', 'en')]]]);
    expect((await admin.post('/api/automation/rules', rule('沉睡十年', { trigger: { kind: 'no_interaction', days: 3650, hour: 10 } }))).status).toBe(201);
  });

  it('a wait of 0, of 366 days or of 8,761 hours is refused, on create and on change', async () => {
    const wait = (amount: unknown, unit: string) => ({ steps: [{ kind: 'wait', amount, unit }, send] });
    expect(issuesOf(await admin.post('/api/automation/rules', rule('不等', wait(0, 'hours'))))).toEqual([400, [['steps.0.amount', message('field.automation_wait')]]]);
    expect(issuesOf(await admin.post('/api/automation/rules', rule('等太久', wait(366, 'days'))))).toEqual([400, [['steps.0.amount', message('field.automation_wait')]]]);
    expect(issuesOf(await admin.post('/api/automation/rules', rule('等太多小時', wait(8761, 'hours'))))).toEqual([400, [['steps.0.amount', message('field.automation_wait')]]]);
    const made = await admin.post('/api/automation/rules', rule('等一年', wait(365, 'days')));
    expect(made.status).toBe(201);
    expect(issuesOf(await admin.patch(`/api/automation/rules/${made.body.id}`, { ...wait(1.5, 'days'), version: made.body.version }))).toEqual([400, [['steps.0.amount', message('field.automation_wait')]]]);
    expect((await admin.get(`/api/automation/rules/${made.body.id}`)).body.steps[0]).toEqual({ kind: 'wait', amount: 365, unit: 'days' });
  });
});
