import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocal, parseLocal } from '../data/time.ts';
import { DEMO_API_KEY } from '../index.ts';
import { call, startTestPms, type TestPms, walk } from '../testing/harness.ts';

const byKey = (a: { UPD_DAT: string; GCUST_COD: string }, b: { UPD_DAT: string; GCUST_COD: string }) => (a.UPD_DAT === b.UPD_DAT ? (a.GCUST_COD < b.GCUST_COD ? -1 : 1) : a.UPD_DAT < b.UPD_DAT ? -1 : 1);

describe('德安 contract: auth, paging and cursors', () => {
  let t: TestPms;
  beforeAll(async () => {
    t = await startTestPms({ hotels: ['01', '02'], apiKeys: { [DEMO_API_KEY]: {}, 'key-all-hotels-0000000000000000': {}, 'key-hotel-02-00000000000000000': { hotels: ['02'] } } });
  });
  afterAll(() => t.close());

  it('refuses a missing or wrong key, and a hotel the key does not cover', async () => {
    expect(await call(t.url, '/health', { key: null })).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await call(t.url, '/health', { key: 'nope' })).toMatchObject({ status: 401 });
    expect(await call(t.url, '/stays', { key: 'key-hotel-02-00000000000000000', hotel: '01' })).toMatchObject({ status: 403, body: { error: { code: 'forbidden_hotel' } } });
    expect(await call(t.url, '/stays', { key: 'key-all-hotels-0000000000000000', hotel: '09' })).toMatchObject({ status: 403 });
  });

  it('health says what it supports; code tables give the dialect', async () => {
    const health = await call(t.url, '/health', { key: 'key-hotel-02-00000000000000000' });
    expect(health.body).toMatchObject({ status: 'ok', contractVersion: '1', statusDialect: 'KTW', hotels: [{ HOTEL_COD: '02' }] });
    expect(health.body.serverTime).toBe(formatLocal(t.sim.now()));
    const codes = await call(t.url, '/code-tables', { key: 'key-all-hotels-0000000000000000' });
    expect(codes.body.ORDER_STA).toMatchObject({ D: 'checked_out', C: 'cancelled', I: 'in_house' });
    expect(codes.body.CONTACT_COD['01']).toBe('mobile');
  });

  it('a first full walk pages through every profile once, in (UPD_DAT, GCUST_COD) order, with 德安 column names', async () => {
    const { rows, pages, watermark } = await walk(t.url, '/guests', { limit: 97 });
    expect(rows).toHaveLength(t.sim.data.profiles.length);
    expect(new Set(rows.map((r) => r.GCUST_COD)).size).toBe(rows.length);
    expect([...rows].sort(byKey)).toEqual(rows);
    expect(pages).toBe(Math.ceil(rows.length / 97));
    expect(watermark).toBe(rows.at(-1).UPD_DAT);
    expect(Object.keys(rows[0]).sort()).toEqual(expect.arrayContaining(['GCUST_COD', 'ALT_NAM', 'ID_NOS', 'CONTACT1_COD', 'CONTACT1_RMK', 'DM_FLAG', 'MCUST_COD', 'CO_DEL_STA', 'UPD_DAT']));
  });

  it('since is inclusive; stays are filtered by X-Hotel-Cod', async () => {
    const all = await walk(t.url, '/guests', { limit: 1000 });
    const since = all.rows[Math.floor(all.rows.length / 2)].UPD_DAT;
    const later = await walk(t.url, '/guests', { since, limit: 50 });
    expect(later.rows.map((r) => r.GCUST_COD)).toEqual(all.rows.filter((r) => r.UPD_DAT >= since).map((r) => r.GCUST_COD));
    const stays02 = await walk(t.url, '/stays', { hotel: '02', limit: 200 });
    expect(stays02.rows.length).toBeGreaterThan(0);
    expect(stays02.rows.every((s) => s.HOTEL_COD === '02')).toBe(true);
    expect(stays02.rows.length).toBe(t.sim.data.stays.filter((s) => s.HOTEL_COD === '02').length);
    // The party of the room (ORDER_DT) comes as Oracle NUMBERs: JSON numbers, or null when never entered.
    expect(stays02.rows.every((s) => (s.ADULT_QNT === null || Number.isInteger(s.ADULT_QNT)) && (s.CHILD_QNT === null || Number.isInteger(s.CHILD_QNT)))).toBe(true);
    expect(stays02.rows.some((s) => s.CHILD_QNT > 0)).toBe(true);
  });

  it('rejects bad parameters, foreign cursors and a cursor sent with another since', async () => {
    expect(await call(t.url, '/guests?limit=0')).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', details: { parameter: 'limit' } } } });
    expect(await call(t.url, '/guests?limit=1001')).toMatchObject({ status: 400 });
    expect(await call(t.url, '/guests?since=2026-13-01%2000:00:00')).toMatchObject({ status: 400, body: { error: { details: { parameter: 'since' } } } });
    expect(await call(t.url, '/guests?cursor=not-a-cursor')).toMatchObject({ status: 400, body: { error: { details: { parameter: 'cursor' } } } });
    const first = await call(t.url, '/guests?limit=5');
    const cursor = encodeURIComponent(first.body.page.nextCursor);
    expect(await call(t.url, `/guests?limit=5&cursor=${cursor}&since=2020-01-01%2000:00:00`)).toMatchObject({ status: 410, body: { error: { code: 'cursor_expired' } } });
    expect(await call(t.url, '/guests/NOPE')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await call(t.url, '/nothing')).toMatchObject({ status: 404 });
  });
});

describe('德安 contract: the change stream and the cursor overlap', () => {
  let t: TestPms;
  beforeAll(async () => {
    t = await startTestPms({ seed: 'stream', changesPerHour: 300, lateCommitRate: 0.2, sameSecondRate: 0.2 });
  });
  afterAll(() => t.close());

  it('an incremental walk from watermark − overlap sees every change; without the overlap, late commits are missed', async () => {
    const first = await walk(t.url, '/guests', { limit: 500 });
    const seen = new Map(first.rows.map((r) => [r.GCUST_COD, r.UPD_DAT]));
    let watermark = first.watermark as string;
    let missedWithoutOverlap = 0;
    for (let round = 0; round < 6; round++) {
      t.sim.advance(10 * 60_000);
      const withOverlap = await walk(t.url, '/guests', { since: formatLocal(parseLocal(watermark) - 120_000), limit: 50 });
      const noOverlap = await walk(t.url, '/guests', { since: formatLocal(parseLocal(watermark) + 1000), limit: 50 });
      const noOverlapKeys = new Set(noOverlap.rows.map((r) => `${r.GCUST_COD}@${r.UPD_DAT}`));
      for (const r of withOverlap.rows) {
        if (seen.get(r.GCUST_COD) !== r.UPD_DAT && !noOverlapKeys.has(`${r.GCUST_COD}@${r.UPD_DAT}`)) missedWithoutOverlap++;
        seen.set(r.GCUST_COD, r.UPD_DAT);
      }
      watermark = withOverlap.watermark ?? watermark;
    }
    // Everything visible now is what the overlapping reader holds.
    t.sim.advance(5 * 60_000);
    const last = await walk(t.url, '/guests', { since: formatLocal(parseLocal(watermark) - 120_000), limit: 200 });
    for (const r of last.rows) seen.set(r.GCUST_COD, r.UPD_DAT);
    const truth = await walk(t.url, '/guests', { limit: 1000 });
    expect(new Map(truth.rows.map((r) => [r.GCUST_COD, r.UPD_DAT]))).toEqual(seen);
    expect(t.sim.store.log.length).toBeGreaterThan(100);
    expect(missedWithoutOverlap).toBeGreaterThan(0);
  });

  it('deletes and merges come through the feed as rows (CO_DEL_STA, MCUST_COD)', async () => {
    const { rows } = await walk(t.url, '/guests', { limit: 1000 });
    expect(rows.some((r) => r.CO_DEL_STA === 'Y')).toBe(true);
    expect(rows.some((r) => r.MCUST_COD && r.MCUST_COD !== r.GCUST_COD)).toBe(true);
  });
});

describe('德安 contract: faults', () => {
  let t: TestPms;
  beforeAll(async () => {
    t = await startTestPms({ seed: 'faults', faults: { hangMs: 5000 } });
  });
  afterAll(() => t.close());

  it('queued faults: 500, 503 with Retry-After, a hang the client abandons, a cut body', async () => {
    t.sim.queueFault('error');
    expect(await call(t.url, '/guests')).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
    t.sim.queueFault('unavailable');
    const unavailable = await call(t.url, '/guests');
    expect(unavailable).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(unavailable.headers.get('retry-after')).toBe('5');
    t.sim.queueFault('timeout');
    await expect(call(t.url, '/guests', { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    t.sim.queueFault('truncated');
    await expect(call(t.url, '/guests?limit=50')).rejects.toThrow();
    expect(await call(t.url, '/guests?limit=1')).toMatchObject({ status: 200 });
    expect(t.sim.faultCounters()).toMatchObject({ error: 1, unavailable: 1, timeout: 1, truncated: 1 });
  });

  it('a partial page has fewer rows than asked, says hasMore, and following the cursor misses nothing', async () => {
    t.sim.queueFault('partial');
    const page = await call(t.url, '/guests?limit=100');
    expect(page.body.data.length).toBeLessThan(100);
    expect(page.body.page.hasMore).toBe(true);
    const rest = await call(t.url, `/guests?limit=1000&cursor=${encodeURIComponent(page.body.page.nextCursor)}`);
    expect(page.body.data.length + rest.body.data.length).toBe(t.sim.data.profiles.length);
  });

  it('at random rates, a retrying client still reads every row exactly once', async () => {
    t.sim.setFaults({ errorRate: 0.15, unavailableRate: 0.1, truncatedRate: 0.1, partialPageRate: 0.3 });
    const { rows, failures } = await walk(t.url, '/guests', { limit: 40 });
    t.sim.setFaults({ errorRate: 0, unavailableRate: 0, truncatedRate: 0, partialPageRate: 0 });
    expect(failures).toBeGreaterThan(0);
    expect(rows.map((r) => r.GCUST_COD).sort()).toEqual(t.sim.data.profiles.map((p) => p.GCUST_COD).sort());
  });
});

describe('德安 contract: push-back', () => {
  let t: TestPms;
  beforeAll(async () => {
    t = await startTestPms({ seed: 'push' });
  });
  afterAll(() => t.close());
  const patch = (gcust: string, body: unknown, key = `idem-${Math.random()}`) => call(t.url, `/guests/${gcust}`, { method: 'PATCH', body, headers: { 'idempotency-key': key } });

  it('applies by compare-and-set, bumps UPD_DAT, and shows the change in the next incremental walk', async () => {
    const row = t.sim.data.profiles.find((p) => p.CO_DEL_STA === 'N' && p.DM_FLAG === 'Y')!;
    const before = row.UPD_DAT;
    const applied = await patch(row.GCUST_COD, { baseUpdDat: before, set: { DM_FLAG: 'N', E_MAIL: 'new@example.com' } }, 'idem-applied-1');
    expect(applied).toMatchObject({ status: 200, body: { outcome: 'applied' } });
    expect(applied.body.UPD_DAT > before).toBe(true);
    expect((await call(t.url, `/guests/${row.GCUST_COD}`)).body).toMatchObject({ DM_FLAG: 'N', E_MAIL: 'new@example.com', UPD_DAT: applied.body.UPD_DAT });
    const changed = await walk(t.url, '/guests', { since: applied.body.UPD_DAT });
    expect(changed.rows.map((r) => r.GCUST_COD)).toContain(row.GCUST_COD);

    // The same key again: the first answer, no second write.
    const replay = await patch(row.GCUST_COD, { baseUpdDat: before, set: { DM_FLAG: 'N', E_MAIL: 'new@example.com' } }, 'idem-applied-1');
    expect(replay).toMatchObject({ status: 200, body: applied.body });
    // Same values again under a new key: a no-op.
    expect(await patch(row.GCUST_COD, { baseUpdDat: applied.body.UPD_DAT, set: { DM_FLAG: 'N' } })).toMatchObject({ status: 200, body: { outcome: 'noop' } });
    // A stale base: conflict, with the current row.
    const conflict = await patch(row.GCUST_COD, { baseUpdDat: before, set: { E_MAIL: 'other@example.com' } });
    expect(conflict).toMatchObject({ status: 409, body: { error: { code: 'conflict', details: { current: { GCUST_COD: row.GCUST_COD, E_MAIL: 'new@example.com' } } } } });
  });

  it('MOBILE writes the mobile slot; unknown columns and bodies are refused', async () => {
    const row = t.sim.data.profiles.find((p) => p.CO_DEL_STA === 'N')!;
    const applied = await patch(row.GCUST_COD, { baseUpdDat: row.UPD_DAT, set: { MOBILE: '0911222333' } });
    expect(applied.status).toBe(200);
    expect((await call(t.url, `/guests/${row.GCUST_COD}`)).body).toMatchObject({ CONTACT1_COD: '01', CONTACT1_RMK: '0911222333' });
    expect(await patch(row.GCUST_COD, { baseUpdDat: row.UPD_DAT, set: { ANAMNESIS: 'x' } })).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter' } } });
    expect(await patch(row.GCUST_COD, { set: { DM_FLAG: 'N' } })).toMatchObject({ status: 400 });
    expect(await call(t.url, `/guests/${row.GCUST_COD}`, { method: 'PATCH', body: { baseUpdDat: row.UPD_DAT, set: { DM_FLAG: 'N' } } })).toMatchObject({ status: 400, body: { error: { details: { parameter: 'Idempotency-Key' } } } });
  });

  it('a read-only installation answers 501 writes_disabled', async () => {
    const ro = await startTestPms({ seed: 'read-only', profiles: 50, writable: [] });
    try {
      const row = ro.sim.data.profiles[0]!;
      const answer = await call(ro.url, `/guests/${row.GCUST_COD}`, { method: 'PATCH', body: { baseUpdDat: row.UPD_DAT, set: { DM_FLAG: 'N' } }, headers: { 'idempotency-key': 'idem-read-only' } });
      expect(answer).toMatchObject({ status: 501, body: { error: { code: 'writes_disabled' } } });
      expect((await call(ro.url, '/health')).body.writable).toEqual([]);
    } finally {
      await ro.close();
    }
  });
});

describe('the /_sim controls', () => {
  let t: TestPms;
  beforeAll(async () => {
    t = await startTestPms({ seed: 'admin', profiles: 100 });
  });
  afterAll(() => t.close());
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.url.replace('/dean/v1', '')}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('advance, faults and stats', async () => {
    expect(await admin('POST', '/_sim/advance', { minutes: 0 })).toMatchObject({ status: 400 });
    const before = t.sim.now();
    expect((await admin('POST', '/_sim/advance', { minutes: 30 })).status).toBe(200);
    expect(t.sim.now() - before).toBe(30 * 60_000);
    expect(await admin('PATCH', '/_sim/faults', { errorRate: 2 })).toMatchObject({ status: 400 });
    expect(await admin('PATCH', '/_sim/faults', { nope: 1 })).toMatchObject({ status: 400 });
    expect(await admin('PATCH', '/_sim/faults', { partialPageRate: 0.5 })).toMatchObject({ status: 200, body: { partialPageRate: 0.5 } });
    expect(await admin('POST', '/_sim/faults/next', { kind: 'error', count: 2 })).toMatchObject({ status: 200, body: { queued: ['error', 'error'] } });
    expect((await call(t.url, '/health')).status).toBe(500);
    const stats = await admin('GET', '/_sim/stats');
    expect(stats.body).toMatchObject({ profiles: t.sim.data.profiles.length, faults: { queued: ['error'], counters: { error: 1 } } });
    expect((await admin('GET', '/_sim/members')).body.data).toHaveLength(t.sim.data.members.length);
    const csv = await fetch(`${t.url.replace('/dean/v1', '')}/_sim/exports/GHIST_MN`);
    expect(csv.headers.get('content-disposition')).toMatch(/filename="GHIST_MN_01_\d{14}_FULL\.csv"/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel writes (fetch's text() would drop it)
    expect(bytes.toString('utf8').split('\r\n')[0]).toBe('\uFEFFGCUST_COD,SHOW_COD,HOTEL_COD,ALT_NAM,LAST_NAM,FIRST_NAM,SEX_TYP,BIRTH_DAT,CONTRY_COD,ID_NOS,CONTACT1_COD,CONTACT1_RMK,CONTACT2_COD,CONTACT2_RMK,CONTACT3_COD,CONTACT3_RMK,CONTACT4_COD,CONTACT4_RMK,MOBILE_NOS,HOME_TEL,OFFICE_TEL,E_MAIL,DM_FLAG,MCUST_COD,CO_DEL_STA,INS_DAT,UPD_DAT');
  });
});
