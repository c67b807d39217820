import { sql } from 'drizzle-orm';
import { DEMO_API_KEY, type PmsSimulatorOptions } from '@innkeeper/pms-simulator';
import { startTestPms, type TestPms } from '@innkeeper/pms-simulator/testing';
import { MODULES } from '../../../app/modules.ts';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { AppError } from '../../../core/errors.ts';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { normaliseIdNos } from '../pms.normalise.ts';
import { normaliseMobile } from '../../members/index.ts';
import { createPmsModule, type SyncOptions } from '../index.ts';

export type PmsTestEnv = {
  env: TestEnv;
  pms: TestPms;
  tenant: TestTenant;
  admin: ApiClient;
  /** Simulator member id → Innkeeper member id. */
  memberIds: Map<string, string>;
  connectionId: string;
  close(): Promise<void>;
};

/**
 * The real application (PGlite, or PostgreSQL with TEST_DATABASE_URL) and a listening 德安 simulator on a free port:
 * the sync talks HTTP to it exactly as to a hotel's agent. The simulator's CRM-side members become the tenant's
 * members (through the members module, as staff or a binding would make them: a verified mobile is a LINE binding).
 */
export async function startPmsTestEnv(options: { sim?: PmsSimulatorOptions; sync?: SyncOptions; connect?: boolean; clockAt?: Date; env?: Record<string, string> } = {}): Promise<PmsTestEnv> {
  const pms = await startTestPms(options.sim ?? {});
  // The simulator's calendar (from 2026-12-01, files dated up to 12-05) runs ahead of the tests' fixed clock (2026-11-22):
  // a declared skew of 30 days, so its rows are not taken for far-future ones (pms-upd-dat tests the default window).
  const sync: SyncOptions = { pageSize: 100, http: { timeoutMs: 1500, attempts: 4, backoffMs: 50, maxBackoffMs: 200 }, pmsClockAheadSeconds: 30 * 86400, ...options.sync };
  const env = await startTestEnv(options.env ?? {}, { runtime: { modules: MODULES.map((m) => (m.name === 'pms' ? createPmsModule(sync) : m)) } });
  await env.runtime.queue.start({ work: true });
  if (options.clockAt) env.clock.current = options.clockAt;
  const tenant = await createTestTenant(env);
  const admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  const memberIds = await seedMembers(env, tenant, pms);
  let connectionId = '';
  if (options.connect !== false) {
    const created = await admin.post('/api/pms/connections', {
      name: '德安 PMS',
      baseUrl: pms.url,
      apiKey: DEMO_API_KEY,
      propertyMap: { '01': tenant.propertyIds[0] },
    });
    if (created.status !== 201) throw new Error(`connection: ${created.status} ${JSON.stringify(created.body)}`);
    connectionId = created.body.id;
  }
  return {
    env,
    pms,
    tenant,
    admin,
    memberIds,
    connectionId,
    async close() {
      await env.close();
      await pms.close();
    },
  };
}

const IDENTITY_TYPE = { national_id: 'national_id', resident_old: 'resident_certificate', resident_new: 'resident_certificate', passport: 'passport' } as const;

async function seedMembers(env: TestEnv, tenant: TestTenant, pms: TestPms): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const { runtime } = env;
  const inTenant = <T>(work: (ctx: ReturnType<typeof systemContext>) => Promise<T>) => runtime.db.withTenant(tenant.tenantId, (tx) => work(systemContext(tx, tenant.tenantId, 'test')));
  for (const m of pms.sim.data.members) {
    const id = m.idNumber ? normaliseIdNos(m.idNumber, m.idCountry) : null;
    const mobile = m.mobile ? normaliseMobile(m.mobile) : null;
    const base = { lastName: m.lastName ?? undefined, firstName: m.firstName ?? undefined, mobile: mobile?.ok ? mobile.e164 : null, birthday: m.birthDate };
    const identity = id?.ok ? { type: IDENTITY_TYPE[id.key.format], number: id.key.value, passportCountry: id.key.issuingCountry ?? null } : null;
    let member;
    try {
      member = await inTenant((ctx) => runtime.members.createMember(ctx, { ...base, identity }));
    } catch (error) {
      // Two CRM members typing one ID (a trap in the sample): the second keeps no ID, as staff would be told to do.
      if (!(error instanceof AppError)) throw error;
      member = await inTenant((ctx) => runtime.members.createMember(ctx, base));
    }
    ids.set(m.memberId, member.id);
    if (m.mobileVerified && base.mobile) {
      const lineUserId = `U${m.lineUserId.replace(/^U/, '').padEnd(32, '0').slice(0, 32)}`;
      await inTenant((ctx) => runtime.memberLine.linkLineAccount(ctx, member.id, { lineUserId, profile: { displayName: m.displayName }, at: env.clock.now() }));
    }
  }
  return ids;
}

/** Runs the queued jobs (the sync's included) to the end; fails the test on a job that failed for good. */
export async function drain(t: PmsTestEnv): Promise<void> {
  const report = await t.env.runtime.queue.drain();
  if (report.failed.length > 0) throw new Error(`jobs failed: ${JSON.stringify(report.failed)}`);
}

export async function syncNow(t: PmsTestEnv) {
  const started = await t.admin.post(`/api/pms/connections/${t.connectionId}/sync`, {});
  if (started.status !== 202) throw new Error(`sync now: ${started.status} ${JSON.stringify(started.body)}`);
  await drain(t);
  const runs = await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`);
  return runs.body.data.find((r: { id: string }) => r.id === started.body.id);
}

export async function rows<T>(t: PmsTestEnv, query: ReturnType<typeof sql>): Promise<T[]> {
  return t.env.runtime.db.withTenant(t.tenant.tenantId, (tx) => queryRows<T>(tx, query));
}

/** Every link the sync made, member → profiles, checked against the simulator's ground truth. */
export async function falseLinks(t: PmsTestEnv): Promise<Array<{ memberId: string; profile: string }>> {
  const links = await rows<{ member_id: string; gcust_cod: string }>(t, sql`select member_id, gcust_cod from pms_profiles where member_id is not null`);
  const simMemberOf = new Map([...t.memberIds].map(([sim, ours]) => [ours, sim]));
  const truthOf = new Map(t.pms.sim.truth.members.map((m) => [m.memberId, m]));
  return links.filter((l) => {
    const member = truthOf.get(simMemberOf.get(l.member_id)!);
    const profilePerson = t.pms.sim.truth.profiles.get(l.gcust_cod)?.personId;
    return !member || member.personId === null || member.personId !== profilePerson;
  }).map((l) => ({ memberId: l.member_id, profile: l.gcust_cod }));
}
