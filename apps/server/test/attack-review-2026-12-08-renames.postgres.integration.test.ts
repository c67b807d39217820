import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/core/db/database.ts';
import { anotherHotel, ApiClient, latestLinkToken, signedInAs, startSignedIn, type ApiResponse } from './api-client.ts';
import { withDatabaseName } from './database.ts';
import type { TestEnv, TestTenant } from './harness.ts';

/**
 * Attack review 2026-12-08 (atk7), on PostgreSQL: renames of segments, roles, automation rules and saved PMS column
 * mappings through writeUniqueName (a savepoint, tried again on 40P01/40001 after a short pause, three tries at most;
 * a unique violation → the field’s 409).
 * Many parallel swaps; the retry's side effects (audit, version, a colleague's committed edit); weaker accounts and
 * other tenants; bad names; a rename racing a delete.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let colleague: pg.Client;
let connectionId: string;
let dbUrl: string;
const ROUNDS = Number(process.env.ATK7_ROUNDS ?? 5);

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  expect(env.engine).toBe('postgres');
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ name: string }>(tx, sql`select current_database() as name`));
  dbUrl = withDatabaseName(process.env.TEST_DATABASE_URL!, row!.name);
  colleague = new pg.Client({ connectionString: dbUrl });
  await colleague.connect();
  connectionId = (await created(admin.post('/api/pms/connections', { name: '其他 PMS 匯出', kind: 'dean_file', defaultPropertyId: tenant.propertyIds[0] }))).id;
}, 180_000);
afterAll(async () => {
  await colleague?.end();
  await env?.close();
});

type Named = { id: string; version?: number };
const created = async (answer: Promise<ApiResponse>): Promise<Named> => {
  const { status, body } = await answer;
  expect(status, JSON.stringify(body)).toBe(201);
  return body as Named;
};

type Kind = {
  table: string;
  takenCode: string;
  /** Audit action of a rename (undefined: the kind records none). */
  audit?: string;
  create: (client: ApiClient, name: string) => Promise<Named>;
  rename: (client: ApiClient, row: Named, name: string) => Promise<ApiResponse>;
};

const kinds: Record<string, Kind> = {
  segments: {
    table: 'segments',
    takenCode: 'segment.name_taken',
    audit: 'segment.updated',
    create: (c, name) => created(c.post('/api/segments', { name, definition: { type: 'group', op: 'and', conditions: [{ type: 'consent', optedIn: true }] } })),
    rename: (c, row, name) => c.patch(`/api/segments/${row.id}`, { name }),
  },
  roles: {
    table: 'roles',
    takenCode: 'role.name_taken',
    audit: 'role.updated',
    create: (c, name) => created(c.post('/api/roles', { name, permissions: ['members.read'] })),
    rename: (c, row, name) => c.patch(`/api/roles/${row.id}`, { name }),
  },
  'automation rules': {
    table: 'automation_rules',
    takenCode: 'automation.name_taken',
    audit: 'automation.rule_updated',
    create: (c, name) => created(c.post('/api/automation/rules', { name, trigger: { kind: 'birthday', hour: 9 }, steps: [{ kind: 'send', messages: [{ type: 'text', text: '生日快樂！' }] }] })),
    rename: (c, row, name) => c.patch(`/api/automation/rules/${row.id}`, { name }),
  },
  'saved PMS column mappings': {
    table: 'pms_column_mappings',
    takenCode: 'pms.mapping_name_taken',
    create: (c, name) => created(c.post(`/api/pms/connections/${connectionId}/mappings`, { name, mapping: { guestKey: '客戶編號', fullName: '姓名' } })),
    rename: (c, row, name) => c.patch(`/api/pms/connections/${connectionId}/mappings/${row.id}`, { name }),
  },
};

async function namesOf(table: string, ids: string[]): Promise<Map<string, { name: string; version?: number }>> {
  const version = table === 'automation_rules' ? ', version' : '';
  const { rows } = await colleague.query(`select id::text, name${version} from ${table} where id = any($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id, { name: r.name, version: r.version }]));
}

async function auditCount(action: string, targetId: string): Promise<number> {
  const { rows } = await colleague.query<{ n: number }>(`select count(*)::int as n from audit_log where action = $1 and target_id = $2`, [action, targetId]);
  return rows[0]!.n;
}

/** Waits until some backend other than the colleague's waits on a transaction (the rename, on the colleague's). */
async function renameWaiting(): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const { rows } = await colleague.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock' and wait_event in ('transactionid', 'tuple')`,
    );
    if (rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the rename never waited on the colleague');
}

describe('1. many parallel swaps', () => {
  it.each(Object.keys(kinds))('%s: 20 concurrent renames among 4 rows and 6 names, ROUNDS rounds: only 200 or the field\'s 409, names unique and each one some 200 set, audit = 200s', async (key) => {
    const kind = kinds[key]!;
    const tag = randomUUID().slice(0, 6);
    const pool = Array.from({ length: 6 }, (_, i) => `交換 ${tag} ${i}`);
    const rows: Named[] = [];
    for (let i = 0; i < 4; i += 1) rows.push(await kind.create(admin, pool[i]!));
    const ids = rows.map((r) => r.id);
    const auditBefore = new Map<string, number>();
    if (kind.audit) for (const id of ids) auditBefore.set(id, await auditCount(kind.audit, id));
    const oks = new Map<string, number>(ids.map((id) => [id, 0]));
    const versionsBefore = await namesOf(kind.table, ids);
    for (let round = 0; round < ROUNDS; round += 1) {
      const before = await namesOf(kind.table, ids);
      const asks = Array.from({ length: 20 }, (_, i) => ({ row: rows[i % 4]!, name: pool[(i * 7 + round * 3 + Math.floor(i / 4)) % 6]! }));
      const answers = await Promise.all(asks.map((a) => kind.rename(admin, a.row, a.name)));
      const set = new Map<string, Set<string>>(ids.map((id) => [id, new Set([before.get(id)!.name])]));
      answers.forEach((answer, i) => {
        const detail = `${asks[i]!.name}: ${JSON.stringify(answer.body)}`;
        expect([200, 409], detail).toContain(answer.status);
        if (answer.status === 409) {
          const okCodes = key === 'automation rules' ? [kind.takenCode, 'automation.changed'] : [kind.takenCode];
          expect(okCodes, detail).toContain(answer.body.error.code);
          if (answer.body.error.code === kind.takenCode && key !== 'saved PMS column mappings') expect(answer.body.error.details?.field, `${detail} (field)`).toBe('name');
        } else {
          oks.set(asks[i]!.row.id, oks.get(asks[i]!.row.id)! + 1);
          set.get(asks[i]!.row.id)!.add(asks[i]!.name);
        }
      });
      const after = await namesOf(kind.table, ids);
      const finals = ids.map((id) => after.get(id)!.name);
      expect(new Set(finals).size, JSON.stringify(finals)).toBe(4);
      for (const id of ids) expect([...set.get(id)!], `${id} ended as ${after.get(id)!.name}`).toContain(after.get(id)!.name);
    }
    if (kind.audit) for (const id of ids) expect(await auditCount(kind.audit, id), `audit of ${id}`).toBe(auditBefore.get(id)! + oks.get(id)!);
    if (kind.table === 'automation_rules') {
      const after = await namesOf(kind.table, ids);
      for (const id of ids) expect(after.get(id)!.version, `version of ${id}`).toBe(versionsBefore.get(id)!.version! + oks.get(id)!);
    }
  }, 120_000);
});

/** The staged deadlock of the staged test, with the colleague's second statement as given. */
async function stagedDeadlock(kind: Kind, a: Named, b: Named, bMoved: string, target: string, colleagueTouchesA: string, rename: () => Promise<ApiResponse>): Promise<ApiResponse> {
  await colleague.query('begin');
  await colleague.query(`set local deadlock_timeout = '30s'`);
  await colleague.query(`update ${kind.table} set name = $1 where id = $2`, [bMoved, b.id]);
  const answer = rename();
  await renameWaiting();
  await colleague.query(colleagueTouchesA, [a.id]);
  await colleague.query('commit');
  void target;
  return answer;
}

describe('2. the retry applies its side effects once', () => {
  it('automation rule: a rename ended as a deadlock and tried again records one audit entry and bumps the version once', async () => {
    const kind = kinds['automation rules']!;
    const t = randomUUID().slice(0, 6);
    const a = await kind.create(admin, `規則甲 ${t}`);
    const b = await kind.create(admin, `規則乙 ${t}`);
    const answer = await stagedDeadlock(kind, a, b, `規則乙 ${t} moved`, `規則乙 ${t}`, `update automation_rules set updated_at = now() where id = $1`, () =>
      admin.patch(`/api/automation/rules/${a.id}`, { name: `規則乙 ${t}`, version: a.version }),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.version).toBe(a.version! + 1);
    expect(await auditCount('automation.rule_updated', a.id)).toBe(1);
    const { rows } = await colleague.query(`select version from automation_rule_versions where rule_id = $1`, [a.id]);
    expect(rows.map((r) => r.version)).toEqual([a.version]);
  }, 60_000);

  it('automation rule: a colleague\'s edit of the rule committed while the rename waited: the retried rename with the old version is refused (automation.changed), the colleague\'s steps stay', async () => {
    const kind = kinds['automation rules']!;
    const t = randomUUID().slice(0, 6);
    const a = await kind.create(admin, `規則丙 ${t}`);
    const b = await kind.create(admin, `規則丁 ${t}`);
    const theirs = JSON.stringify([{ kind: 'send', messages: [{ type: 'text', text: '同事改的' }] }]);
    const answer = await stagedDeadlock(
      kind, a, b, `規則丁 ${t} moved`, `規則丁 ${t}`,
      `update automation_rules set version = version + 1, steps = '${theirs}'::jsonb, updated_at = now() where id = $1`,
      () => admin.patch(`/api/automation/rules/${a.id}`, { name: `規則丁 ${t}`, version: a.version }),
    );
    expect([answer.status, answer.body.error?.code], JSON.stringify(answer.body)).toEqual([409, 'automation.changed']);
    const { rows } = await colleague.query(`select name, version, steps from automation_rules where id = $1`, [a.id]);
    expect(rows[0]).toMatchObject({ name: `規則丙 ${t}`, version: a.version! + 1 });
    expect(JSON.stringify(rows[0].steps)).toContain('同事改的');
    expect(await auditCount('automation.rule_updated', a.id)).toBe(0);
  }, 60_000);

  it('role with permissions: a rename ended as a deadlock and tried again records one audit entry with the right before/after', async () => {
    const kind = kinds.roles!;
    const t = randomUUID().slice(0, 6);
    const a = await kind.create(admin, `角色甲 ${t}`);
    const b = await kind.create(admin, `角色乙 ${t}`);
    const answer = await stagedDeadlock(kind, a, b, `角色乙 ${t} moved`, `角色乙 ${t}`, `update roles set updated_at = now() where id = $1`, () =>
      admin.patch(`/api/roles/${a.id}`, { name: `角色乙 ${t}`, permissions: ['members.read', 'pms.view'] }),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const { rows } = await colleague.query(`select details from audit_log where action = 'role.updated' and target_id = $1`, [a.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toMatchObject({ before: { name: `角色甲 ${t}` }, after: { name: `角色乙 ${t}` } });
  }, 60_000);

  it('segment: a rename ended as a deadlock and tried again records one audit entry', async () => {
    const kind = kinds.segments!;
    const t = randomUUID().slice(0, 6);
    const a = await kind.create(admin, `分眾甲 ${t}`);
    const b = await kind.create(admin, `分眾乙 ${t}`);
    const answer = await stagedDeadlock(kind, a, b, `分眾乙 ${t} moved`, `分眾乙 ${t}`, `update segments set updated_at = now() where id = $1`, () =>
      admin.patch(`/api/segments/${a.id}`, { name: `分眾乙 ${t}` }),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await auditCount('segment.updated', a.id)).toBe(1);
  }, 60_000);
});

/** An account of the hotel with one role, signed in. */
async function accountWith(permissions: string[]): Promise<ApiClient> {
  const role = await admin.post('/api/roles', { name: `攻擊審查 ${randomUUID().slice(0, 8)}`, permissions });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const email = `${randomUUID().slice(0, 8)}@atk7.example`;
  const made = await admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, allProperties: true, propertyIds: [] });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

describe('3. weaker accounts and other tenants', () => {
  it('an account with members.read alone: 403 on every rename, names unchanged; another hotel\'s admin: 404; never a 500, also while a rename waits', async () => {
    const weak = await accountWith(['members.read']);
    const { otherAdmin } = await anotherHotel(env, 'atk7');
    for (const [key, kind] of Object.entries(kinds)) {
      const t = randomUUID().slice(0, 6);
      const a = await kind.create(admin, `弱 ${t} A`);
      const b = await kind.create(admin, `弱 ${t} B`);
      const w = await kind.rename(weak, a, `弱 ${t} B`);
      expect(w.status, `${key} weak: ${JSON.stringify(w.body)}`).toBe(403);
      const o = await kind.rename(otherAdmin, a, `弱 ${t} Z`);
      expect([403, 404], `${key} other: ${o.status} ${JSON.stringify(o.body)}`).toContain(o.status);
      // Under the retry path: a colleague holds B's old name; the weak and the foreign rename at once with the admin's.
      await colleague.query('begin');
      await colleague.query(`set local deadlock_timeout = '30s'`);
      await colleague.query(`update ${kind.table} set name = $1 where id = $2`, [`弱 ${t} B moved`, b.id]);
      const answers = Promise.all([kind.rename(admin, a, `弱 ${t} B`), kind.rename(weak, a, `弱 ${t} C`), kind.rename(otherAdmin, a, `弱 ${t} D`)]);
      await renameWaiting();
      await colleague.query(`update ${kind.table} set updated_at = now() where id = $1`, [a.id]);
      await colleague.query('commit');
      const [ok, weakAnswer, otherAnswer] = await answers;
      expect(ok!.status, `${key} admin: ${JSON.stringify(ok!.body)}`).toBe(200);
      expect(weakAnswer!.status, `${key} weak: ${JSON.stringify(weakAnswer!.body)}`).toBe(403);
      expect([403, 404]).toContain(otherAnswer!.status);
      expect((await namesOf(kind.table, [a.id])).get(a.id)!.name).toBe(`弱 ${t} B`);
    }
  }, 120_000);
});

describe('4. bad names', () => {
  it.each(Object.keys(kinds))('%s: empty, spaces, 101 characters → 400; no 500', async (key) => {
    const kind = kinds[key]!;
    const a = await kind.create(admin, `壞名 ${randomUUID().slice(0, 6)}`);
    for (const name of ['', '   ', '\t\n', 'x'.repeat(101), '長'.repeat(101)]) {
      const answer = await kind.rename(admin, a, name);
      expect(answer.status, `${JSON.stringify(name)}: ${JSON.stringify(answer.body)}`).toBe(400);
    }
  }, 60_000);

  it.each(Object.keys(kinds))('%s: a name of invisible characters alone (zero-width space, bidi mark) is no name: 400, as for tags and rules', async (key) => {
    const kind = kinds[key]!;
    const a = await kind.create(admin, `隱形 ${randomUUID().slice(0, 6)}`);
    const answer = await kind.rename(admin, a, '\u200B\u200E');
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  }, 60_000);

  it('automation rules: names differing only by case or width refused at the field (409), no 500', async () => {
    const kind = kinds['automation rules']!;
    const t = randomUUID().slice(0, 4);
    await kind.create(admin, `Vip ${t}`);
    const b = await kind.create(admin, `other ${t}`);
    const wide = `ＶＩＰ ${t}`.replace(/[0-9a-f]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    for (const name of [`VIP ${t}`, `vip ${t}`, wide]) {
      const answer = await kind.rename(admin, b, name);
      expect([answer.status, answer.body.error?.code, answer.body.error?.details?.field], `${name}: ${JSON.stringify(answer.body)}`).toEqual([409, 'automation.name_taken', 'name']);
    }
  }, 60_000);

  it('automation rules: 100 characters NFKC expands many-fold (﷽, ㌀…) – the folded index key is large: no 500', async () => {
    const kind = kinds['automation rules']!;
    const a = await kind.create(admin, `展開 ${randomUUID().slice(0, 6)}`);
    const wide = ['\uFDFA', '\uFDFB', ...Array.from({ length: 88 }, (_, i) => String.fromCharCode(0x3300 + i))];
    for (let k = 0; k < 3; k += 1) {
      const name = Array.from({ length: 100 }, () => wide[Math.floor(Math.random() * wide.length)]!).join('');
      const answer = await kind.rename(admin, a, name);
      expect([200, 400, 409], `${answer.status} ${JSON.stringify(answer.body)}`).toContain(answer.status);
    }
  }, 60_000);

  it('saved PMS mappings: a name differing only by case → 409 pms.mapping_name_taken, at the name field', async () => {
    const kind = kinds['saved PMS column mappings']!;
    const t = randomUUID().slice(0, 4);
    await kind.create(admin, `Mapping ${t}`);
    const b = await kind.create(admin, `other ${t}`);
    const answer = await kind.rename(admin, b, `MAPPING ${t}`);
    expect([answer.status, answer.body.error?.code, answer.body.error?.details?.field], JSON.stringify(answer.body)).toEqual([409, 'pms.mapping_name_taken', 'name']);
  }, 60_000);
});

describe('5. a rename racing a delete', () => {
  it.each(['segments', 'roles', 'automation rules', 'saved PMS column mappings'])('%s: renamed while a colleague deletes it (committed while the rename waits): 404, never a 500', async (key) => {
    const kind = kinds[key]!;
    const a = await kind.create(admin, `刪除中 ${randomUUID().slice(0, 6)}`);
    await colleague.query('begin');
    await colleague.query(`delete from ${kind.table} where id = $1`, [a.id]);
    const answer = kind.rename(admin, a, `刪除中 ${randomUUID().slice(0, 6)} 新`);
    await renameWaiting();
    await colleague.query('commit');
    const { status, body } = await answer;
    expect(status, JSON.stringify(body)).toBe(404);
  }, 60_000);
});

describe('6. the retry barges ahead of the colleague it deadlocked with', () => {
  it.each(['segments', 'saved PMS column mappings'])('%s: the colleague\'s backend a moment slow to wake (SIGSTOP, needs root or the postgres user): the retried rename may take row A first and deadlock again; a later try, after a pause, waits its turn: 200', async (key) => {
    const kind = kinds[key]!;
    const t = randomUUID().slice(0, 6);
    const a = await kind.create(admin, `插隊 ${t} A`);
    const b = await kind.create(admin, `插隊 ${t} B`);
    const pid = (await colleague.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await colleague.query('begin');
    await colleague.query(`set local deadlock_timeout = '30s'`);
    await colleague.query(`update ${kind.table} set name = $1 where id = $2`, [`插隊 ${t} B moved`, b.id]);
    const rename = kind.rename(admin, a, `插隊 ${t} B`);
    await renameWaiting();
    const waitedAt = Date.now();
    const touch = colleague.query(`update ${kind.table} set updated_at = now() where id = $1`, [a.id]);
    // The colleague's backend is now waiting on staff's rename; it is stopped, as a backend starved of CPU would be.
    const watcher = new pg.Client({ connectionString: dbUrl });
    await watcher.connect();
    try {
      for (let i = 0; i < 100; i += 1) {
        const { rows } = await watcher.query(`select count(*)::int as n from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'`, [pid]);
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      process.kill(pid, 'SIGSTOP');
      // Staff's rename is ended as the deadlock (1 s after it began to wait) and tried again at once: the row A is
      // free (the colleague, granted, has not run yet), the retry takes it and waits on B's old name. The colleague
      // resumes before the retry's own deadlock check (1 s later).
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitedAt + 1400 - Date.now())));
    } finally {
      process.kill(pid, 'SIGCONT');
      await watcher.end();
    }
    await touch;
    await colleague.query('commit');
    const answer = await rename;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }, 60_000);
});

describe('7. the staged deadlock without the colleague\'s long deadlock_timeout (both sides check after 1 s), repeated', () => {
  it('segments, 12 times: the rename is 200 or a clear 409 whichever side PostgreSQL ends, never a 500', async () => {
    const kind = kinds.segments!;
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const t = randomUUID().slice(0, 6);
      const a = await kind.create(admin, `自然 ${t} A`);
      const b = await kind.create(admin, `自然 ${t} B`);
      await colleague.query('begin');
      await colleague.query(`update segments set name = $1 where id = $2`, [`自然 ${t} B moved`, b.id]);
      const rename = kind.rename(admin, a, `自然 ${t} B`);
      await renameWaiting();
      let colleagueEnded = false;
      try {
        await colleague.query(`update segments set updated_at = now() where id = $1`, [a.id]);
      } catch {
        colleagueEnded = true;
      }
      await colleague.query(colleagueEnded ? 'rollback' : 'commit');
      const answer = await rename;
      outcomes.push(`${colleagueEnded ? 'colleague ended' : 'staff ended'}: ${answer.status}`);
    }
    expect(outcomes.filter((o) => o.endsWith('500')), JSON.stringify(outcomes)).toEqual([]);
  }, 120_000);
});

describe('8. one row renamed by many at once', () => {
  it('automation rule: 10 renames at once with the same version: one 200, the rest 409 automation.changed; version +1, one audit entry', async () => {
    const kind = kinds['automation rules']!;
    const t = randomUUID().slice(0, 6);
    const a = await kind.create(admin, `同版 ${t}`);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => admin.patch(`/api/automation/rules/${a.id}`, { name: `同版 ${t} ${i}`, version: a.version })));
    const statuses = answers.map((x) => `${x.status} ${x.body.error?.code ?? ''}`.trim());
    expect(statuses.filter((s) => s === '200'), JSON.stringify(statuses)).toHaveLength(1);
    expect(statuses.filter((s) => s !== '200').every((s) => s === '409 automation.changed'), JSON.stringify(statuses)).toBe(true);
    const after = await namesOf('automation_rules', [a.id]);
    expect(after.get(a.id)!.version).toBe(a.version! + 1);
    expect(await auditCount('automation.rule_updated', a.id)).toBe(1);
  }, 60_000);

  it('role: 8 renames of one role at once: each audit entry\'s before is the name the previous write left (a chain), not the stale read', async () => {
    const kind = kinds.roles!;
    const t = randomUUID().slice(0, 6);
    const a = await kind.create(admin, `鏈 ${t}`);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => kind.rename(admin, a, `鏈 ${t} ${i}`)));
    expect(answers.map((x) => x.status)).toEqual(Array(8).fill(200));
    const { rows } = await colleague.query(`select details from audit_log where action = 'role.updated' and target_id = $1 order by occurred_at, id`, [a.id]);
    const befores = rows.map((r) => r.details.before.name as string);
    const afters = rows.map((r) => r.details.after.name as string);
    // Each before must be the role's name when that write ran: the original or another entry's after, each once.
    expect(new Set(befores).size, JSON.stringify(rows.map((r) => [r.details.before.name, r.details.after.name]))).toBe(8);
    void afters;
  }, 60_000);
});
