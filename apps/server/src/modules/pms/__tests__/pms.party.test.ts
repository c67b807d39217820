import { describe, expect, it } from 'vitest';
import { parsePartyCount } from '../../members/index.ts';
import { boundDeanRow } from '../pms.normalise.ts';
import { parsePartySize } from '../pms.party.ts';

describe('ADULT_QNT / CHILD_QNT (contract §5)', () => {
  it('reads whole numbers from 0 to 99, as JSON numbers or as a file’s text', () => {
    expect([0, 1, 2, 99].map(parsePartyCount)).toEqual([0, 1, 2, 99]);
    expect(['2', ' 3 ', '２', '2.0', '07', '2人', '3 位'].map(parsePartyCount)).toEqual([2, 3, 2, 2, 7, 2, 3]);
  });

  it('says "not recorded" for a blank, and refuses what is no count', () => {
    expect([null, undefined, '', '   '].map(parsePartyCount)).toEqual([null, null, null, null]);
    expect(['-1', '1.5', 'two', '兩人', '100', '1e3', '0x2', '1,000'].map(parsePartyCount)).toEqual(Array(8).fill(undefined));
    expect([-1, 1.5, 100, Number.NaN].map(parsePartyCount)).toEqual(Array(4).fill(undefined));
  });

  it('takes a row’s two counts, naming the column that is wrong', () => {
    expect(parsePartySize({ ADULT_QNT: '2', CHILD_QNT: '1' })).toEqual({ ok: true, party: { adults: 2, children: 1 } });
    expect(parsePartySize({ ADULT_QNT: '2', CHILD_QNT: '0' })).toEqual({ ok: true, party: { adults: 2, children: 0 } });
    expect(parsePartySize({})).toEqual({ ok: true, party: { adults: null, children: null } });
    expect(parsePartySize({ ADULT_QNT: '3', CHILD_QNT: null })).toEqual({ ok: true, party: { adults: 3, children: null } });
    expect(parsePartySize({ ADULT_QNT: '-2', CHILD_QNT: '1' })).toEqual({ ok: false, column: 'ADULT_QNT' });
    expect(parsePartySize({ ADULT_QNT: '2', CHILD_QNT: '150' })).toEqual({ ok: false, column: 'CHILD_QNT' });
  });

  it('takes a room booked for nobody (0 and 0) as a party nobody entered, not as "no children"', () => {
    expect(parsePartySize({ ADULT_QNT: '0', CHILD_QNT: '0' })).toEqual({ ok: true, party: { adults: null, children: null } });
    expect(parsePartySize({ ADULT_QNT: '0', CHILD_QNT: '2' })).toEqual({ ok: true, party: { adults: 0, children: 2 } });
  });

  it('reads the HTTP feed’s numbers after the row is bounded (numbers become text, anything else nothing)', () => {
    const { row } = boundDeanRow({ ADULT_QNT: 2, CHILD_QNT: true } as Record<string, unknown>);
    expect(parsePartySize(row as { ADULT_QNT: string; CHILD_QNT: string })).toEqual({ ok: true, party: { adults: 2, children: null } });
    const fraction = boundDeanRow({ ADULT_QNT: 2.5 } as Record<string, unknown>).row;
    expect(parsePartySize(fraction as { ADULT_QNT: string })).toEqual({ ok: false, column: 'ADULT_QNT' });
  });
});
