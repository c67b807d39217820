import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { firstFreeName } from '../automation.repository.ts';

// A template's rule takes the first 「名稱（n）」 the database's unique index on lower(name) leaves free: the database
// compares the names, not JavaScript's toLowerCase, so the name chosen is one the index takes (on either engine, with
// whatever its lower() does to letters such as 「İ」).
let env: TestEnv;
let tenant: TestTenant;

beforeAll(async () => {
  ({ env, tenant } = await startSignedIn());
}, 60_000);
afterAll(() => env.close());

let seq = 0;
const insertRule = (name: string) =>
  env.runtime.db.ownerTransaction((owner) =>
    owner.query(`insert into automation_rules (tenant_id, id, name, trigger, trigger_kind, steps) values ($1, $2, $3, '{"kind":"friend_added"}', 'friend_added', '[]')`, [
      tenant.tenantId,
      `01900000-0000-7000-8000-${String(++seq).padStart(12, '0')}`,
      name,
    ]),
  );
const freeName = (base: string) => env.runtime.db.withTenant(tenant.tenantId, (tx) => firstFreeName(tx, tenant.tenantId, base));

describe('the first free name for a template’s rule', () => {
  it('is the base, then the first number no rule has in any case', async () => {
    expect(await freeName('生日祝福')).toBe('生日祝福');
    await insertRule('VIP 優惠');
    await insertRule('vip 優惠（2）');
    await insertRule('Vip 優惠（4）');
    expect(await freeName('Vip 優惠')).toBe('Vip 優惠（3）');
    await insertRule('vip 優惠（3）');
    expect(await freeName('VIP 優惠')).toBe('VIP 優惠（5）');
  });

  it('is the first number no rule has in any width either (migration 0064): 「（３）」 and 「(3)」 are 「（3）」', async () => {
    await insertRule('ＳＰＡ 套裝');
    expect(await freeName('spa 套裝')).toBe('spa 套裝（2）');
    await insertRule('spa 套裝(2)');
    await insertRule('Ｓｐａ 套裝（３）');
    expect(await freeName('Spa 套裝')).toBe('Spa 套裝（4）');
    // A base whose folding is longer than itself (「㍿」 is 「株式会社」): its numbered names are still found.
    await insertRule('株式会社 招待');
    await insertRule('株式会社 招待（2）');
    expect(await freeName('㍿ 招待')).toBe('㍿ 招待（3）');
    await expect(insertRule(await freeName('㍿ 招待'))).resolves.toBeDefined();
  });

  it('is always one the unique index takes, also for letters whose lower case JavaScript and the database may see differently', async () => {
    for (const [kept, base] of [['i̇STANBUL', 'İstanbul'], ['izmir', 'İZMİR'], ['ǅ 套裝', 'ǆ 套裝'], ['ΟΔΟΣ', 'οδος'], ['Straße', 'STRASSE'], ['ﬁ 早鳥', 'FI 早鳥'], ['Ｉｚｍｉｒ ２', 'İZMİR 2']] as const) {
      await insertRule(kept);
      for (let round = 0; round < 3; round++) {
        const name = await freeName(base);
        await expect(insertRule(name), `${kept} / ${base} → ${name}`).resolves.toBeDefined();
      }
    }
  });
});
