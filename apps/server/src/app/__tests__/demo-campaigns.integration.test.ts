import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type ApiClient } from '../../../test/api-client.ts';
import { queryRows } from '../../core/db/database.ts';
import { startTestEnv, type TestEnv } from '../../../test/harness.ts';
import { asTenantId } from '../../core/ids.ts';
import { findTenantBySlugInPlatformScope } from '../../modules/tenants/index.ts';
import { bootstrap, DEMO_TENANT_SLUG } from '../bootstrap.ts';
import { connectDemoLine, startDemoSimulator, type DemoLine } from '../demo-line.ts';

/**
 * The demo (`npm start` with the embedded database) seeds what a campaign needs to show something: campaign tags to
 * give, and LINE friends whose marketing consent is on record (imported), so the estimate reaches someone.
 */
let env: TestEnv;
let sim: DemoLine;
let admin: ApiClient;

beforeAll(async () => {
  sim = await startDemoSimulator(0);
  env = await startTestEnv({ SEED_DEMO: 'true', OPERATOR_PASSWORD: 'operator passphrase 1' }, { runtime: { lineBaseUrl: () => sim.url } });
  const report = await bootstrap(env.runtime);
  await connectDemoLine(env.runtime, sim);
  admin = await signedInAs(env, report.demo!.email, report.demo!.password);
}, 120_000);
afterAll(async () => {
  await env?.close();
  await sim?.close();
});

describe('demo campaign data', () => {
  it('has campaign tags, and friends with imported consent that a campaign to all friends reaches; a restart adds none', async () => {
    const tags = (await admin.get('/api/tags')).body as { data: Array<{ name: string; kind: string }> } | Array<{ name: string; kind: string }>;
    const list = Array.isArray(tags) ? tags : tags.data;
    expect(list.filter((t) => t.kind === 'campaign').map((t) => t.name).sort()).toEqual(['商務客', '家庭客', '週末度假'].sort());
    const estimate = async () => (await admin.post('/api/campaigns/estimate', { propertyId: null, audience: { kind: 'all' }, holdoutPercent: 0, messages: [{ type: 'text', text: '平日商務優惠' }] })).body;
    expect(await estimate()).toMatchObject({ reachable: 6, recipients: 6 });
    // Consent recorded as an import records it: its source and time.
    const tenant = await env.runtime.db.withPlatform((tx) => findTenantBySlugInPlatformScope(tx, DEMO_TENANT_SLUG));
    const consents = await env.runtime.db.withTenant(asTenantId(tenant!.id), (tx) => queryRows<{ source: string; at: Date | null }>(tx, sql`select opt_in_source as source, opt_in_changed_at as at from members where marketing_opt_in`));
    expect(consents).toHaveLength(6);
    for (const consent of consents) expect([consent.source, consent.at !== null]).toEqual(['import', true]);
    // The next start: the simulator is given the same friends again, Innkeeper keeps what it has.
    await sim.close();
    sim = await startDemoSimulator(0);
    await connectDemoLine(env.runtime, sim);
    expect(await estimate()).toMatchObject({ reachable: 6 });
  });
});
