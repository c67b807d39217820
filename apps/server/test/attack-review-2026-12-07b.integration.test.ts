import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/core/db/database.ts';
import { countCapped } from '../src/modules/campaigns/campaign-delivery.repository.ts';
import { signedInAs, startSignedIn, ApiClient, latestLinkToken, type ApiResponse } from './api-client.ts';
import { createTestTenant, type TestEnv, type TestTenant } from './harness.ts';

/**
 * Attack review 2026-12-07b (atk3) of the session's rule-name cleaning (migration 0060, cleanName), the estimate's
 * `set_config` for its weekly-cap count, and the permission and tenant checks around them. Runs on PGlite and on
 * PostgreSQL (TEST_DATABASE_URL). Tests titled DEFECT assert today's faulty behaviour: flip them when it is fixed.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let other: TestTenant;
let otherAdmin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  other = await createTestTenant(env, { slug: `atk3-other-${Date.now()}` });
  otherAdmin = await signedInAs(env, other.adminEmail, other.password);
}, 120_000);
afterAll(() => env.close());

const send = { kind: 'send', messages: [{ type: 'text', text: '生日快樂！' }] };
const rule = (name: string) => ({ name, trigger: { kind: 'birthday', hour: 9 }, steps: [send] });
const show = (r: ApiResponse) => [r.status, r.body.error?.code ?? r.body.name];

describe('another hotel’s rule names', () => {
  it('a name in one hotel neither blocks nor numbers the other hotel’s, in any case', async () => {
    expect((await admin.post('/api/automation/rules', rule('VIP 續住優惠'))).status).toBe(201);
    expect((await admin.post('/api/automation/rules', rule('vip 續住優惠（2）'))).status).toBe(201);
    expect(show(await otherAdmin.post('/api/automation/rules', rule('vip 續住優惠')))).toEqual([201, 'vip 續住優惠']);
    // The other hotel's template use is numbered past its own 「vip 續住優惠」 only, not past our 「（2）」.
    expect(show(await otherAdmin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' }))).toEqual([201, 'VIP 續住優惠（2）']);
    expect(show(await admin.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' }))).toEqual([201, 'VIP 續住優惠（3）']);
  });

  it('an account without campaigns.edit is refused before the name is looked at (no 409 telling it a name exists)', async () => {
    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string | null }>;
    const email = `cs-${Date.now()}@atk3.example`;
    const created = await admin.post('/api/accounts', { email, displayName: '客服', roleId: roles.find((r) => r.builtinKey === 'customer_service')!.id, allProperties: true, propertyIds: [] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
    const staff = await signedInAs(env, email, 'long enough passphrase');
    expect((await staff.post('/api/automation/rules', rule('VIP 續住優惠'))).status).toBe(403);
    expect((await staff.post('/api/automation/rules', rule('全新名稱'))).status).toBe(403);
    expect((await staff.post('/api/automation/rules/from-template', { templateKey: 'vip_repeat_stay' })).status).toBe(403);
  });
});

describe('names that look alike but are not cleaned (cleanName removes only U+200B–U+200D, U+2060, U+FEFF)', () => {
  it('DEFECT: a soft hyphen, a left-to-right mark, a Hangul filler or a combining grapheme joiner makes a second 「早鳥優惠」 that looks the same', async () => {
    expect((await admin.post('/api/automation/rules', rule('早鳥優惠'))).status).toBe(201);
    for (const lookAlike of ['早鳥\u00AD優惠', '\u200E早鳥優惠', '早鳥優惠\u200F', '早鳥\u034F優惠', '早鳥\u2061優惠', '早鳥優惠\u{E0041}']) {
      const made = await admin.post('/api/automation/rules', rule(lookAlike));
      expect([made.status, made.body.name], JSON.stringify(lookAlike)).toEqual([201, lookAlike]);
    }
  });

  it('DEFECT: a name of only invisible characters (Hangul filler U+3164, soft hyphen, LRM/RLM, U+180E) is taken as a name', async () => {
    for (const blank of ['\u3164', '\u00AD', '\u200E\u200F', '\u180E', '\uFFA0', '\u115F']) {
      const made = await admin.post('/api/automation/rules', rule(blank));
      expect(made.status, JSON.stringify(blank)).toBe(201);
    }
  });

  it('DEFECT: a right-to-left override is kept, so a name can show reversed in the list and the audit log', async () => {
    const made = await admin.post('/api/automation/rules', rule('\u202E惠優鳥早'));
    expect([made.status, made.body.name]).toEqual([201, '\u202E惠優鳥早']);
  });

  it('DEFECT (low): 100 characters typed that NFC lengthens (U+0958 → U+0915 U+093C) are refused as over 100', async () => {
    const typed = '\u0958'.repeat(60);
    expect(typed.length).toBe(60);
    const made = await admin.post('/api/automation/rules', rule(typed));
    expect([made.status, made.body.error?.details?.issues?.[0]?.path]).toEqual([400, 'name']);
  });

  it('holds: a name of 100 characters after cleaning saves; 101 after cleaning is refused at the field', async () => {
    expect((await admin.post('/api/automation/rules', rule(`${'名'.repeat(100)}\u200B\u200B `))).status).toBe(201);
    const long = await admin.post('/api/automation/rules', rule(`${'e\u0301'.repeat(101)}`));
    expect([long.status, long.body.error?.details?.issues?.[0]?.path]).toEqual([400, 'name']);
    const composed = await admin.post('/api/automation/rules', rule(`${'e\u0301'.repeat(100)}`));
    expect([composed.status, [...composed.body.name].length]).toEqual([201, 100]);
  });
});

describe('the estimate’s weekly-cap count and its set_config', () => {
  const audience = (body: string) => sql.raw(body);

  it('holds: jit and work_mem are the transaction’s own again after the count, and no later transaction sees them', async () => {
    const seen = await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      const [before] = await queryRows<{ jit: string; work_mem: string }>(tx, sql`select current_setting('jit') as jit, current_setting('work_mem') as work_mem`);
      await countCapped(tx, tenant.tenantId, audience('select id as member_id, null::text as skip from members'), 2, env.clock.now(), []);
      const [after] = await queryRows<{ jit: string; work_mem: string }>(tx, sql`select current_setting('jit') as jit, current_setting('work_mem') as work_mem`);
      return { before, after };
    });
    expect(seen.after).toEqual(seen.before);
    for (let n = 0; n < 4; n += 1) {
      const [later] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ jit: string; work_mem: string }>(tx, sql`select current_setting('jit') as jit, current_setting('work_mem') as work_mem`));
      expect(later).toEqual(seen.before);
    }
  });

  it('DEFECT (low): when the count fails, the restoring statement in `finally` fails too and its error replaces the count’s', async () => {
    const failing = env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      countCapped(tx, tenant.tenantId, audience('select id as member_id, null::text as skip from members where 1 / (select count(*) - count(*) from members) = 1'), 2, env.clock.now(), []),
    );
    const error = await failing.then(() => undefined, (e: unknown) => e as Error & { cause?: Error });
    const text = `${error?.message ?? ''} ${error?.cause?.message ?? ''}`;
    expect(text).not.toMatch(/division by zero/);
    expect(text).toMatch(/current transaction is aborted/);
  });
});
