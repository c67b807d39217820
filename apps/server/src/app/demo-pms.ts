import type { startPmsSimulator } from '@innkeeper/pms-simulator';
import { systemContext, type TenantContext } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { asTenantId } from '../core/ids.ts';
import { normaliseMobile } from '../modules/members/index.ts';
import { normaliseIdNos } from '../modules/pms/index.ts';
import { findTenantBySlugInPlatformScope, listAllProperties } from '../modules/tenants/index.ts';
import { DEMO_TENANT_SLUG } from './bootstrap.ts';
import type { Runtime } from './runtime.ts';

export type DemoPms = Awaited<ReturnType<typeof startPmsSimulator>> & { apiKey: string; stop: () => Promise<void> };

/** Guest profiles in the demo's 德安: enough for a meaningful match report, few enough to sync in seconds on PGlite. */
const DEMO_PROFILES = 3000;

/**
 * Starts the bundled 德安 PMS simulator for the demo, as the LINE simulator is started: loaded here and only here, in
 * demo mode (it is a development dependency, absent from a production install). Its change stream follows the clock:
 * every minute, a minute of hotel activity.
 */
export async function startDemoPms(port: number): Promise<DemoPms> {
  const simulator = await import('@innkeeper/pms-simulator');
  const started = await simulator.startPmsSimulator({ port, host: '127.0.0.1', seed: 'innkeeper-demo', profiles: DEMO_PROFILES, now: simulator.formatLocal(simulator.taipeiNow()) });
  const timer = setInterval(() => started.sim.advance(60_000), 60_000);
  timer.unref();
  return {
    ...started,
    apiKey: simulator.DEMO_API_KEY,
    stop: async () => {
      clearInterval(timer);
      await started.close();
    },
  };
}

const IDENTITY_TYPE = { national_id: 'national_id', resident_old: 'resident_certificate', resident_new: 'resident_certificate', passport: 'passport' } as const;

/**
 * The simulator's CRM-side sample becomes the demo hotel group's members (once, when the demo is first connected): what
 * guests typed when they joined, the verified mobiles bound to a LINE account as a binding would. So the first sync
 * has members to match, and the match report shows what the matcher does on data like a hotel's.
 */
async function seedDemoMembers(runtime: Runtime, tenantId: ReturnType<typeof asTenantId>, sim: DemoPms): Promise<number> {
  const inTenant = <T>(work: (ctx: TenantContext) => Promise<T>) => runtime.db.withTenant(tenantId, (tx) => work(systemContext(tx, tenantId, 'demo')));
  let created = 0;
  for (const m of sim.sim.data.members) {
    const id = m.idNumber ? normaliseIdNos(m.idNumber, m.idCountry) : null;
    const mobile = m.mobile ? normaliseMobile(m.mobile) : null;
    const base = { lastName: m.lastName ?? undefined, firstName: m.firstName ?? undefined, mobile: mobile?.ok ? mobile.e164 : null, birthday: m.birthDate };
    const identity = id?.ok ? { type: IDENTITY_TYPE[id.key.format], number: id.key.value, passportCountry: id.key.issuingCountry ?? null } : null;
    let member;
    try {
      member = await inTenant((ctx) => runtime.members.createMember(ctx, { ...base, identity }, { source: 'demo' }));
    } catch (error) {
      // Two sample guests typing one ID number: the second keeps none.
      if (!(error instanceof AppError)) throw error;
      member = await inTenant((ctx) => runtime.members.createMember(ctx, base, { source: 'demo' }));
    }
    created++;
    if (m.mobileVerified && base.mobile) {
      const lineUserId = `U${m.lineUserId.replace(/^U/, '').padEnd(32, '0').slice(0, 32)}`;
      await inTenant((ctx) => runtime.memberLine.linkLineAccount(ctx, member.id, { lineUserId, profile: { displayName: m.displayName }, at: runtime.clock.now() }));
    }
  }
  return created;
}

/**
 * Connects the demo hotel group to the simulator: the connection is made once (its key encrypted like any other),
 * pointed at the simulator's address on every start; the scheduler starts the first sync within a minute.
 */
export async function connectDemoPms(runtime: Runtime, sim: DemoPms): Promise<void> {
  const tenant = await runtime.db.withPlatform((tx) => findTenantBySlugInPlatformScope(tx, DEMO_TENANT_SLUG));
  if (!tenant) return;
  const tenantId = asTenantId(tenant.id);
  const inTenant = <T>(work: (ctx: TenantContext) => Promise<T>) => runtime.db.withTenant(tenantId, (tx) => work(systemContext(tx, tenantId, 'demo')));
  const existing = (await inTenant((ctx) => runtime.pms.listConnections(ctx)))[0];
  if (existing) {
    if (existing.baseUrl !== sim.url) await inTenant((ctx) => runtime.pms.updateConnection(ctx, existing.id, { baseUrl: sim.url }));
    return;
  }
  await seedDemoMembers(runtime, tenantId, sim);
  const properties = await inTenant((ctx) => listAllProperties(ctx));
  const taipei = properties.find((p) => p.code === 'TPE') ?? properties[0];
  await inTenant((ctx) =>
    runtime.pms.createConnection(
      ctx,
      {
        name: '德安 PMS（模擬）',
        kind: 'dean_http',
        baseUrl: sim.url,
        apiKey: sim.apiKey,
        propertyMap: taipei ? { '01': taipei.id } : {},
        statusDialect: 'KTW',
        scheduleMinutes: 15,
        overlapSeconds: 120,
        enabled: true,
        linkUnverifiedMobile: false,
      },
      null,
    ),
  );
}
