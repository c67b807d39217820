import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../../core/db/migrate.ts';
import { startTestEnv, type TestEnv } from '../../../../test/harness.ts';
import { isLineUserId, LINE_USER_ID } from '../line-user-id.ts';

// The app's one rule for a LINE user id (LINE_USER_ID) and the database's checks (migration 0061) are one rule: the
// same expression on every table, and the same answers for ids at and past its edges, on this engine.
let env: TestEnv;

beforeAll(async () => {
  env = await startTestEnv();
}, 60_000);
afterAll(() => env.close());

const SAMPLES = [
  'U' + '0123456789abcdef'.repeat(2),
  'a',
  'Z'.repeat(64),
  'Z'.repeat(65),
  '',
  'U1,U2',
  'U1 ',
  'U-1',
  'Ｕ１',
  'U\u00e9',
  'U1\n',
  '\u0661',
];

describe('a LINE user id', () => {
  it('is checked by migration 0061 with LINE_USER_ID’s own expression, on every table', () => {
    const text = fs.readFileSync(path.join(MIGRATIONS_DIR, '0061_line_user_id_format.sql'), 'utf8');
    const checks = [...text.matchAll(/check \(line_user_id ~ '([^']+)'\)/g)].map((m) => m[1]);
    expect(checks).toHaveLength(5);
    expect(new Set(checks)).toEqual(new Set([LINE_USER_ID.source]));
  });

  it('is told apart the same way by the app and the database', async () => {
    const rows = await env.runtime.db.ownerTransaction((owner) =>
      owner.query<{ id: string; ok: boolean }>(`select id, id ~ $2 as ok from unnest($1::text[]) id`, [SAMPLES, LINE_USER_ID.source]),
    );
    expect(rows.map((r) => [r.id, r.ok])).toEqual(SAMPLES.map((id) => [id, isLineUserId(id)]));
    expect(SAMPLES.filter(isLineUserId)).toEqual(['U' + '0123456789abcdef'.repeat(2), 'a', 'Z'.repeat(64)]);
  });
});
