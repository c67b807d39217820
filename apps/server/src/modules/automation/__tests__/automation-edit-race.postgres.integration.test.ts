import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv } from '../../../../test/harness.ts';

/**
 * The attack review: two staff change different parts of one switched-off rule at the same moment, neither naming the
 * version they started from. Each edit is written over the rule as its request read it, so without a compare-and-set
 * the later one silently put back what the earlier one changed. On PostgreSQL (TEST_DATABASE_URL), where the two
 * requests' transactions really overlap: either both changes are kept, or one is refused as changed meanwhile.
 */
let env: TestEnv;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, admin } = await startSignedIn());
  expect(env.engine).toBe('postgres');
}, 120_000);
afterAll(() => env.close());

const send = (text: string) => ({ kind: 'send', messages: [{ type: 'text', text }] });

describe('two edits of one rule at once', () => {
  it('a name change and a steps change at once: no change is silently lost', async () => {
    let refused = 0;
    // Rounds until the two requests have overlapped twice (at most 40): with another test file running beside this
    // one (CI runs two at once), eight rounds sometimes never overlapped, and the race was not run at all.
    for (let round = 0; round < 40 && refused < 2; round += 1) {
      const created = await admin.post('/api/automation/rules', { name: `並行編輯 ${round}`, trigger: { kind: 'friend_added' }, steps: [send('生日快樂')] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const [renamed, restepped] = await Promise.all([
        admin.patch(`/api/automation/rules/${created.body.id}`, { name: `改名 ${round}` }),
        admin.patch(`/api/automation/rules/${created.body.id}`, { steps: [send('新的生日祝福')] }),
      ]);
      for (const r of [renamed, restepped]) expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
      const now = (await admin.get(`/api/automation/rules/${created.body.id}`)).body;
      if (renamed.status === 200) expect(now.name).toBe(`改名 ${round}`);
      if (restepped.status === 200) expect(now.steps[0].messages[0].text).toBe('新的生日祝福');
      if (renamed.status === 409 || restepped.status === 409) refused += 1;
    }
    // The race was really run: at least once the two overlapped and one was refused.
    expect(refused).toBeGreaterThan(0);
  }, 120_000);
});
