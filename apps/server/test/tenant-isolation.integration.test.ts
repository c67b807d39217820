import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/core/db/database.ts';
import type { ApiClient} from './api-client.ts';
import { signedInAs } from './api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from './harness.ts';

/**
 * Tenant A's administrator tries every route of the API against tenant B's resources. Routes are read from the
 * OpenAPI document, so a route added later is covered automatically: it must either find a tenant-B resource for each
 * of its path parameters below, or the test fails and asks for one.
 */

let env: TestEnv;
let a: TestTenant;
let b: TestTenant;
let adminA: ApiClient;
let adminB: ApiClient;
const resourcesOfB: Record<string, string> = {};

/** A valid body for each route that takes one, so the request reaches the lookup rather than failing validation. */
const SAMPLE_BODIES: Record<string, unknown> = {
  'PATCH /api/accounts/{accountId}': { displayName: 'hijacked' },
  'POST /api/accounts/{accountId}/status': { status: 'disabled' },
  'POST /api/accounts/{accountId}/invitation': {},
  'PATCH /api/roles/{roleId}': { name: 'hijacked' },
  'DELETE /api/roles/{roleId}': undefined,
  'PATCH /api/properties/{propertyId}': { name: 'hijacked' },
  'PATCH /api/members/{memberId}': { lastName: 'hijacked' },
  'DELETE /api/members/{memberId}': undefined,
  'POST /api/members/{memberId}/personal-data': {},
  'POST /api/members/{memberId}/restore': {},
  'POST /api/members/{memberId}/erase': {},
  'POST /api/members/{memberId}/merge': { mergedMemberId: '01900000-0000-7000-8000-000000000001' },
  'POST /api/members/{memberId}/stays': { propertyId: '01900000-0000-7000-8000-000000000001', checkIn: '2026-01-01', checkOut: '2026-01-02' },
  'PATCH /api/tags/{tagId}': { name: 'hijacked' },
  'DELETE /api/tags/{tagId}': undefined,
  'POST /api/tags/{tagId}/members': { memberIds: ['01900000-0000-7000-8000-000000000001'] },
  'POST /api/tags/{tagId}/members/remove': { memberIds: ['01900000-0000-7000-8000-000000000001'] },
  'PATCH /api/segments/{segmentId}': { name: 'hijacked' },
  'PATCH /api/line/channels/{channelId}': { name: 'hijacked' },
  'POST /api/line/channels/{channelId}/verify': {},
  'DELETE /api/line/channels/{channelId}': undefined,
  'PATCH /api/member-portal/buttons/{buttonId}': { label: 'hijacked' },
  'DELETE /api/member-portal/buttons/{buttonId}': undefined,
  'POST /api/binding-reviews/{reviewId}/link': { memberId: '01900000-0000-7000-8000-000000000001' },
  'POST /api/binding-reviews/{reviewId}/create': {},
  'POST /api/binding-reviews/{reviewId}/dismiss': {},
  'DELETE /api/segments/{segmentId}': undefined,
  'POST /api/member-imports/{importId}/check': { mapping: { email: 0 } },
  'POST /api/member-imports/{importId}/commit': {},
  'PATCH /api/campaigns/{campaignId}': { name: 'hijacked' },
  'DELETE /api/campaigns/{campaignId}': undefined,
  'POST /api/campaigns/{campaignId}/schedule': { version: 1, now: true },
  'POST /api/campaigns/{campaignId}/unschedule': {},
  'POST /api/campaigns/{campaignId}/cancel': {},
  'POST /api/campaigns/{campaignId}/pause': {},
  'POST /api/campaigns/{campaignId}/resume': {},
  'POST /api/campaigns/{campaignId}/test-send': { memberIds: ['00000000-0000-7000-8000-000000000001'] },
  'PATCH /api/automation/rules/{ruleId}': { name: 'hijacked' },
  'DELETE /api/automation/rules/{ruleId}': undefined,
  'POST /api/automation/rules/{ruleId}/enable': { version: 1 },
  'POST /api/automation/rules/{ruleId}/disable': undefined,
  'PATCH /api/pms/connections/{connectionId}': { scheduleMinutes: 5 },
  'POST /api/pms/connections/{connectionId}/test': {},
  'POST /api/pms/connections/{connectionId}/sync': {},
  'POST /api/pms/reviews/{caseId}/link': { profileIds: ['HFD000000000000001'] },
  'POST /api/pms/reviews/{caseId}/reject': {},
  'POST /api/pms/connections/{connectionId}/files': 'multipart',
  'POST /api/pms/connections/{connectionId}/imports': 'multipart',
  'POST /api/pms/connections/{connectionId}/imports/{fileId}/dry-run': { mapping: { guestKey: '客戶編號' } },
  'POST /api/pms/connections/{connectionId}/imports/{fileId}/apply': { mapping: { guestKey: '客戶編號' } },
  'DELETE /api/pms/connections/{connectionId}': undefined,
  'DELETE /api/pms/connections/{connectionId}/imports/{fileId}': undefined,
  'POST /api/pms/connections/{connectionId}/mappings': { name: 'hijacked', mapping: { guestKey: '客戶編號' } },
  'PATCH /api/pms/connections/{connectionId}/mappings/{mappingId}': { name: 'hijacked' },
  'DELETE /api/pms/connections/{connectionId}/mappings/{mappingId}': undefined,
};

/** A multipart upload of a small CSV (the upload routes take a file, not JSON). */
function csvUpload(csv: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----innkeeper-isolation';
  const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="guests.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`, 'utf8');
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const GENERIC_CSV = '客戶編號,姓名,手機\nG001,王小明,0912345678\n';

const PLATFORM_BODIES: Record<string, unknown> = {
  'POST /api/platform/tenants': { name: 'Evil Hotels', slug: 'evil-hotels', properties: [{ code: 'EV', name: 'Evil' }], administrator: { email: 'evil@evil.example', displayName: 'Evil' } },
  'POST /api/platform/tenants/{tenantId}/status': { status: 'suspended' },
};

/** Public routes authenticated by something other than a session (LINE's signature): covered by their own tests. */
const NOT_SESSION_ROUTES = new Set(['/api/line/webhook/{tenantId}/{channelId}']);
/** Guest routes authenticated by a LIFF ID token verified with LINE: covered by the binding tests. */
const LIFF_PREFIX = '/api/liff/';

/** Operator routes are refused to hotel accounts before any lookup (403); they are checked separately below. */
const PLATFORM_PREFIX = '/api/platform/';

type Route = { method: string; path: string; params: string[] };

async function listRoutes(): Promise<Route[]> {
  const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path, params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!) })),
  );
}

beforeAll(async () => {
  env = await startTestEnv();
  a = await createTestTenant(env);
  b = await createTestTenant(env);
  adminA = await signedInAs(env, a.adminEmail, a.password);
  adminB = await signedInAs(env, b.adminEmail, b.password);
  const roles = (await adminB.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string | null }>;
  const custom = await adminB.post('/api/roles', { name: 'B 的角色', permissions: ['members.read'] });
  const account = await adminB.post('/api/accounts', { email: 'staff@tenant-b.example', displayName: 'B staff', roleId: roles[0]!.id });
  resourcesOfB.accountId = account.body.id;
  resourcesOfB.roleId = custom.body.id;
  resourcesOfB.propertyId = b.propertyIds[0]!;
  const member = await adminB.post('/api/members', { lastName: 'B 的會員', mobile: '0912000999' });
  await adminB.delete(`/api/members/${(await adminB.post('/api/members', { lastName: 'B 已刪除' })).body.id}`);
  const tag = await adminB.post('/api/tags', { name: 'B 的標籤', kind: 'basic' });
  await adminB.post(`/api/tags/${tag.body.id}/members`, { memberIds: [member.body.id] });
  const segment = await adminB.post('/api/segments', { name: 'B 的分眾', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag.body.id }] } });
  resourcesOfB.memberId = member.body.id;
  resourcesOfB.tagId = tag.body.id;
  resourcesOfB.segmentId = segment.body.id;
  const channel = await adminB.post('/api/line/channels', { name: 'B 的 LINE', channelId: '2009000001', channelSecret: 'b'.repeat(32), accessToken: 'tenant-b-access-token-000000000' });
  resourcesOfB.channelId = channel.body.id;
  resourcesOfB.buttonId = (await adminB.post('/api/member-portal/buttons', { label: 'B', linkUrl: 'https://b.example' })).body.id;
  // A binding review only arises from a guest's LIFF binding; store one directly as that flow would.
  resourcesOfB.reviewId = '01900000-0000-7000-8000-0000000000bb';
  await env.runtime.db.withTenant(b.tenantId, (tx) =>
    tx.execute(sql`insert into binding_reviews (tenant_id, id, channel_id, line_user_id, submitted_masked, submitted_encrypted, reason)
                   values (${b.tenantId}, ${resourcesOfB.reviewId}, ${resourcesOfB.channelId}, ${'U' + 'b'.repeat(32)}, '{}', ${env.runtime.keyring.encrypt('{}')}, 'ambiguous')`),
  );
  const boundary = 'tenant-b-import';
  const upload = await adminB.request('POST', '/api/member-imports', Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\n\r\nEmail\r\nb-guest@tenant-b.example\r\n--${boundary}--\r\n`), { 'content-type': `multipart/form-data; boundary=${boundary}` });
  resourcesOfB.importId = upload.body.import.id;
  resourcesOfB.tenantId = b.tenantId;
  resourcesOfB.campaignId = (await adminB.post('/api/campaigns', { name: 'B 的活動', messages: [{ type: 'text', text: 'B' }] })).body.id;
  resourcesOfB.ruleId = (await adminB.post('/api/automation/rules', { name: 'B 的規則', trigger: { kind: 'tag_added', tagId: tag.body.id }, steps: [{ kind: 'add_tag', tagId: tag.body.id }] })).body.id;
  // B's PMS connection (nothing listens there: no route here reaches it for tenant A), and a match review of B's
  // member, stored as a sync would open it.
  resourcesOfB.connectionId = (await adminB.post('/api/pms/connections', { name: 'B 的 PMS', baseUrl: 'http://127.0.0.1:9/dean/v1', apiKey: 'tenant-b-pms-key-000000000000000' })).body.id;
  // A generic PMS file waiting for its mapping, and a saved mapping, of B's connection.
  const genericFile = csvUpload(GENERIC_CSV);
  const generic = await adminB.request('POST', `/api/pms/connections/${resourcesOfB.connectionId}/imports`, genericFile.payload, genericFile.headers);
  expect(generic.status).toBe(201);
  resourcesOfB.fileId = generic.body.file.id;
  resourcesOfB.mappingId = (await adminB.post(`/api/pms/connections/${resourcesOfB.connectionId}/mappings`, { name: 'B 的對應', mapping: { guestKey: '客戶編號' } })).body.id;
  resourcesOfB.caseId = '01900000-0000-7000-8000-0000000000cc';
  await env.runtime.db.withTenant(b.tenantId, (tx) =>
    tx.execute(sql`insert into pms_review_cases (tenant_id, id, connection_id, member_id, candidates, reasons, fingerprint)
                   values (${b.tenantId}, ${resourcesOfB.caseId}, ${resourcesOfB.connectionId}, ${resourcesOfB.memberId}, '[{"personId":"HFD000000000000001","profileIds":["HFD000000000000001"]}]', '{name_conflict}', 'b')`),
  );
});
afterAll(() => env.close());

describe('tenant isolation over HTTP', () => {
  it('answers 404 for every tenant-B resource on every route with a path parameter', async () => {
    const routes = (await listRoutes()).filter((r) => r.params.length > 0 && !r.path.startsWith(PLATFORM_PREFIX) && !NOT_SESSION_ROUTES.has(r.path) && !r.path.startsWith(LIFF_PREFIX));
    expect(routes.length).toBeGreaterThanOrEqual(6);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      let url = route.path;
      for (const param of route.params) {
        const id = resourcesOfB[param];
        if (!id) throw new Error(`No tenant-B resource for {${param}} in ${key}: add one to this test`);
        url = url.replace(`{${param}}`, id);
      }
      if (!(key in SAMPLE_BODIES) && route.method !== 'GET') throw new Error(`No sample body for ${key}: add one to SAMPLE_BODIES`);
      const sample = SAMPLE_BODIES[key];
      const multipart = sample === 'multipart' ? csvUpload(GENERIC_CSV) : undefined;
      const response = multipart ? await adminA.request(route.method as 'POST', url, multipart.payload, multipart.headers) : await adminA.request(route.method as 'GET', url, sample);
      expect({ route: key, status: response.status }).toEqual({ route: key, status: 404 });
    }
  });

  it('finds none of tenant B’s members through search, counts or bulk actions', async () => {
    const search = await adminA.post('/api/members/search', { q: '0912000999' });
    expect(search.body.data).toEqual([]);
    expect((await adminA.post('/api/members/count', { memberIds: [resourcesOfB.memberId] })).body.count).toBe(0);
    expect((await adminA.post('/api/members/count', { segmentId: resourcesOfB.segmentId })).status).toBe(404);
    expect((await adminA.post('/api/members/count', { definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: resourcesOfB.tagId }] } })).status).toBe(404);
    const ownTag = await adminA.post('/api/tags', { name: 'A 的標籤', kind: 'basic' });
    const bulk = await adminA.post('/api/members/bulk-tag', { audience: { memberIds: [resourcesOfB.memberId] }, tagId: ownTag.body.id, change: 'add' });
    expect(bulk.body).toEqual({ changed: 0, audience: 0 });
  });

  it('shows none of tenant B’s rows in tenant A’s lists', async () => {
    const routes = (await listRoutes()).filter((r) => r.method === 'GET' && r.params.length === 0 && !r.path.startsWith(PLATFORM_PREFIX) && !r.path.includes('demo-mailbox'));
    for (const route of routes) {
      const response = await adminA.get(route.path);
      const text = JSON.stringify(response.body);
      for (const id of Object.values(resourcesOfB)) expect(text.includes(id), `${route.path} leaks ${id}`).toBe(false);
      expect(text.includes(b.adminEmail)).toBe(false);
    }
  });

  it('left tenant B unchanged', async () => {
    const account = await adminB.get(`/api/accounts/${resourcesOfB.accountId}`);
    expect(account.body.displayName).toBe('B staff');
    expect(account.body.status).toBe('active');
    const properties = await adminB.get('/api/properties');
    expect(properties.body.data.map((p: { name: string }) => p.name)).toEqual(['台北館', '台中館']);
  });

  it('refuses the operator routes to a hotel administrator', async () => {
    const routes = (await listRoutes()).filter((r) => r.path.startsWith(PLATFORM_PREFIX));
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const url = route.path.replace('{tenantId}', b.tenantId);
      const body = route.method === 'GET' ? undefined : PLATFORM_BODIES[`${route.method} ${route.path}`];
      if (route.method !== 'GET' && !body) throw new Error(`No sample body for ${route.method} ${route.path}`);
      expect((await adminA.request(route.method as 'GET', url, body)).status).toBe(403);
    }
  });
});

describe('row-level security underneath', () => {
  const TENANT_TABLES = [
    'properties', 'roles', 'accounts', 'account_properties', 'sessions', 'auth_tokens', 'audit_log', 'recovery_codes', 'login_directory', 'tenants',
    'members', 'member_stays', 'tags', 'member_tags', 'member_interactions', 'segments', 'tenant_counters',
    'line_channels', 'line_webhook_inbox', 'line_send_pacing', 'member_portal_buttons', 'binding_reviews',
    'campaigns', 'campaign_batches', 'campaign_recipients', 'campaign_recipient_outcomes', 'campaign_clicks', 'campaign_click_counts',
    'automation_rules', 'automation_runs', 'automation_run_steps',
    'pms_connections', 'pms_sync_runs', 'pms_sync_cursors', 'pms_profiles', 'pms_stays', 'pms_review_cases', 'pms_outbox',
    'pms_member_matches', 'pms_match_dirty', 'pms_match_state',
  ];

  it('a transaction that forgot the tenant sees no rows at all', async () => {
    const counts = await env.runtime.db.withoutTenant(async (tx) => {
      const result: Record<string, number> = {};
      for (const table of TENANT_TABLES) {
        const [row] = await queryRows<{ n: number }>(tx, sql.raw(`select count(*)::int as n from ${table}`));
        result[table] = row!.n;
      }
      return result;
    });
    expect(counts).toEqual(Object.fromEntries(TENANT_TABLES.map((t) => [t, 0])));
  });

  it('tenant A’s transaction can neither read nor write tenant B’s rows, even by asking for them', async () => {
    const rows = await env.runtime.db.withTenant(a.tenantId, (tx) => queryRows(tx, sql`select id from accounts where tenant_id = ${b.tenantId}`));
    expect(rows).toEqual([]);
    await expect(
      env.runtime.db.withTenant(a.tenantId, (tx) =>
        tx.execute(sql`insert into properties (tenant_id, id, code, name) values (${b.tenantId}, gen_random_uuid(), 'EVIL', 'evil')`),
      ),
    ).rejects.toThrow();
    const updated = await env.runtime.db.withTenant(a.tenantId, (tx) => queryRows(tx, sql`update accounts set display_name = 'x' where tenant_id = ${b.tenantId} returning id`));
    expect(updated).toEqual([]);
  });

  it('runs as a role that is neither superuser nor table owner', async () => {
    const [who] = await env.runtime.db.withTenant(a.tenantId, (tx) =>
      queryRows<{ role: string; superuser: boolean; owns: boolean }>(
        tx,
        sql`select current_user as role, r.rolsuper as superuser, exists (select 1 from pg_tables where tableowner = current_user) as owns from pg_roles r where r.rolname = current_user`,
      ),
    );
    expect(who).toEqual({ role: 'innkeeper_app', superuser: false, owns: false });
  });

  it('keeps the audit log append-only', async () => {
    await expect(env.runtime.db.withTenant(a.tenantId, (tx) => tx.execute(sql`update audit_log set action = 'forged'`))).rejects.toThrow();
    await expect(env.runtime.db.withTenant(a.tenantId, (tx) => tx.execute(sql`delete from audit_log`))).rejects.toThrow();
    // Even the owning role cannot rewrite history.
    await expect(env.runtime.db.ownerTransaction((owner) => owner.exec(`update audit_log set action = 'forged'`))).rejects.toThrow(/append-only/);
  });
});
