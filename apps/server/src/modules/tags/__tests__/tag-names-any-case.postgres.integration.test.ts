import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv } from '../../../../test/harness.ts';

// On PostgreSQL (TEST_DATABASE_URL), where the requests' transactions really overlap: two creates whose names differ
// only in case, at once, end with one tag and the other refused as tag.name_taken, by the unique index on lower(name)
// (migration 0063), not by a read before the write.
let env: TestEnv;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, admin } = await startSignedIn());
  expect(env.engine).toBe('postgres');
}, 120_000);
afterAll(() => env.close());

describe('two tags differing only in case, created at once', () => {
  it('one is made, the other refused naming it', async () => {
    for (let round = 0; round < 10; round += 1) {
      const answers = await Promise.all([`Race ${round}`, `race ${round}`].map((name) => admin.post('/api/tags', { name, kind: 'basic' })));
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([201, 409]);
      const made = answers.find((a) => a.status === 201)!.body;
      expect(answers.find((a) => a.status === 409)!.body.error).toMatchObject({ code: 'tag.name_taken', details: { field: 'name', name: made.name, tagId: made.id } });
      expect((await admin.get('/api/tags')).body.data.filter((t: { name: string }) => t.name.toLowerCase() === `race ${round}`)).toHaveLength(1);
    }
  }, 120_000);

  it('in any width too (migration 0064): 「Ｗｉｄｔｈ １」 and 「width 1」 at once, one is made, the other refused naming it', async () => {
    const wide = (text: string) => [...text].map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');
    for (let round = 0; round < 10; round += 1) {
      const plain = `Width${round}`;
      const answers = await Promise.all([wide(plain), plain.toLowerCase()].map((name) => admin.post('/api/tags', { name, kind: 'basic' })));
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([201, 409]);
      const made = answers.find((a) => a.status === 201)!.body;
      expect(answers.find((a) => a.status === 409)!.body.error).toMatchObject({ code: 'tag.name_taken', details: { field: 'name', name: made.name, tagId: made.id } });
      expect((await admin.get('/api/tags')).body.data.filter((t: { name: string }) => t.name.normalize('NFKC').toLowerCase() === `width${round}`)).toHaveLength(1);
    }
  }, 120_000);
});
