import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { MAX_PAUSED_SPANS, transition } from '../campaigns.repository.ts';

// A campaign's pause spans are bounded (MAX_PAUSED_SPANS): past the bound a pause merges the two oldest into one of
// their summed length, so the paused time send-rate.ts subtracts is kept while the row stops growing.
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
}, 60_000);
afterAll(() => env.close());

type Span = { from: string; to: string | null };
const spansOf = async (id: string) =>
  (await env.runtime.db.ownerTransaction((owner) => owner.query<{ paused_spans: Span[] }>('select paused_spans from campaigns where id = $1', [id])))[0]!.paused_spans;
const pausedMs = (spans: Span[]) => spans.reduce((total, s) => total + (s.to === null ? 0 : Date.parse(s.to) - Date.parse(s.from)), 0);

describe('a campaign paused and resumed again and again', () => {
  it('keeps at most MAX_PAUSED_SPANS spans, the same total paused time, in order and not overlapping', async () => {
    const made = await admin.post('/api/campaigns', { name: '暫停很多次', propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '您好' }] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await env.runtime.db.ownerTransaction((owner) => owner.query(`update campaigns set status = 'sending' where id = $1`, [made.body.id]));
    let at = Date.parse('2026-11-20T00:00:00.000Z');
    const rounds = MAX_PAUSED_SPANS * 2 + 7;
    await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      for (let round = 0; round < rounds; round++) {
        // Sending for 1 s, then paused for (round % 5 + 1) s; times to the millisecond, as the clock gives them.
        at += 1000;
        expect(await transition(tx, tenant.tenantId, made.body.id, { from: ['sending'], to: 'paused' }, new Date(at))).toBeDefined();
        at += (round % 5) * 1000 + 1001;
        expect(await transition(tx, tenant.tenantId, made.body.id, { from: ['paused'], to: 'sending' }, new Date(at))).toBeDefined();
      }
      at += 1000;
      await transition(tx, tenant.tenantId, made.body.id, { from: ['sending'], to: 'paused' }, new Date(at));
    });
    const spans = await spansOf(made.body.id);
    expect(spans).toHaveLength(MAX_PAUSED_SPANS);
    let expected = 0;
    for (let round = 0; round < rounds; round++) expected += (round % 5) * 1000 + 1001;
    expect(pausedMs(spans)).toBe(expected);
    // The newest stay as they were: the open one last, the one before it closed, 1 s of sending between them.
    expect(spans.at(-1)).toEqual({ from: new Date(at).toISOString(), to: null });
    expect(Date.parse(spans.at(-1)!.from) - Date.parse(spans.at(-2)!.to!)).toBe(1000);
    for (let i = 1; i < spans.length; i++) expect(Date.parse(spans[i]!.from), JSON.stringify(spans.slice(i - 1, i + 1))).toBeGreaterThanOrEqual(Date.parse(spans[i - 1]!.to!));
    for (const span of spans.slice(0, -1)) expect(span.from <= span.to!, JSON.stringify(span)).toBe(true);
  }, 60_000);
});
