import { describe, expect, it } from 'vitest';
import { exportFile, GUEST_COLUMNS, toCsv } from './export-file.ts';
import { createStore } from './store.ts';

/** A minimal RFC 4180 reader for the test (quoted fields, doubled quotes, CRLF). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('file-drop exports (contract §9)', () => {
  it('quotes what needs quoting and starts with a BOM and the header', () => {
    const csv = toCsv(['A', 'B'] as const, [{ A: 'x,y', B: 'say "hi"' }, { A: ' 0912345678', B: null }] as Array<Record<'A' | 'B', string | null>>);
    expect(csv).toBe('\uFEFFA,B\r\n"x,y","say ""hi"""\r\n" 0912345678",\r\n');
  });

  it('a FULL profile export holds every committed row in 德安 column names, read back unchanged', () => {
    const store = createStore({ seed: 'export', profiles: 300, changesPerHour: 0 });
    const file = exportFile(store, 'GHIST_MN');
    expect(file.name).toMatch(/^GHIST_MN_01_\d{14}_FULL\.csv$/);
    const [header, ...rows] = readCsv(file.content);
    expect(header).toEqual([...GUEST_COLUMNS]);
    expect(rows).toHaveLength(store.data.profiles.length);
    const byCode = new Map(store.data.profiles.map((p) => [p.GCUST_COD, p]));
    for (const r of rows) {
      const original = byCode.get(r[0]!)!;
      GUEST_COLUMNS.forEach((c, i) => expect(r[i], c).toBe(original[c] ?? ''));
    }
  });

  it('a DELTA export holds the rows changed since a time; stays are per property', () => {
    const store = createStore({ seed: 'export-delta', profiles: 300, changesPerHour: 120, lateCommitRate: 0, hotels: ['01', '02'] });
    const since = '2026-12-01 09:00:00';
    store.advance(3_600_000);
    const delta = exportFile(store, 'GHIST_MN', { since });
    expect(delta.name).toMatch(/_DELTA\.csv$/);
    expect(delta.rows).toBe([...store.guests.rows.values()].filter((r) => r.UPD_DAT >= since).length);
    expect(delta.rows).toBeGreaterThan(0);
    const stays = exportFile(store, 'GUEST_MN', { hotel: '02' });
    const [header, ...rows] = readCsv(stays.content);
    expect(rows.every((r) => r[5] === '02')).toBe(true);
    // The party rides in the stays file (GUEST_MN joined to ORDER_DT), as text; empty when never entered.
    const children = header!.indexOf('CHILD_QNT');
    expect(header).toContain('ADULT_QNT');
    expect(rows.every((r) => /^\d*$/.test(r[children]!))).toBe(true);
    expect(rows.some((r) => Number(r[children]) > 0)).toBe(true);
  });
});
