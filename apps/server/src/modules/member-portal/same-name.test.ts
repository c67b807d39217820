import { describe, expect, it } from 'vitest';
import { hasName, isSameName, normaliseName } from './same-name.ts';

describe('isSameName: the same name however it was typed, never another person', () => {
  it.each([
    [{ lastName: '郑', firstName: '淑芬' }, { lastName: '鄭', firstName: '淑芬' }],
    [{ lastName: '鄭淑芬' }, { lastName: '鄭', firstName: '淑芬' }],
    [{ lastName: '王 ', firstName: ' 小 明' }, { lastName: '王', firstName: '小明' }],
    [{ lastName: '陈', firstName: '伟华' }, { lastName: '陳', firstName: '偉華' }],
    [{ lastName: '黄', firstName: '丽娟' }, { lastName: '黃', firstName: '麗娟' }],
    [{ lastName: '台', firstName: '灣' }, { lastName: '臺', firstName: '湾' }],
    [{ lastName: 'ＷＡＮＧ', firstName: 'Ｘｉａｏ　Ｍｉｎｇ' }, { lastName: 'Wang', firstName: 'Xiaoming' }],
    [{ lastName: 'smith', firstName: 'john' }, { lastName: 'Smith', firstName: 'John' }],
    [{ lastName: 'John', firstName: 'Smith' }, { lastName: 'Smith', firstName: 'John' }],
    [{ lastName: 'Chen', firstName: 'Mei-Ling' }, { lastName: 'CHEN', firstName: 'MEI LING' }],
  ])('%j is %j', (typed, member) => {
    expect(isSameName(typed, member)).toBe(true);
  });

  it.each([
    [{ lastName: '鄭', firstName: '淑芬' }, { lastName: '王', firstName: '小明' }],
    [{ lastName: '王', firstName: '小明' }, { lastName: '王', firstName: '小鳴' }],
    [{ lastName: '王', firstName: '小' }, { lastName: '王', firstName: '小明' }],
    [{ lastName: '王' }, { lastName: '王', firstName: '小明' }],
    // Both forms are names of their own in Taiwan: a different person until staff say otherwise.
    [{ lastName: '王', firstName: '小杰' }, { lastName: '王', firstName: '小傑' }],
    [{ lastName: '鐘', firstName: '美' }, { lastName: '鍾', firstName: '美' }],
    [{ lastName: '于', firstName: '美' }, { lastName: '於', firstName: '美' }],
    [{ lastName: '范', firstName: '美' }, { lastName: '範', firstName: '美' }],
    [{ lastName: '王', firstName: '松' }, { lastName: '王', firstName: '鬆' }],
    [{}, { lastName: '王', firstName: '小明' }],
    [{ lastName: '  ' }, { lastName: '王', firstName: '小明' }],
    [{ lastName: '王' }, {}],
  ])('%j is not %j', (typed, member) => {
    expect(isSameName(typed, member)).toBe(false);
  });

  it('normalises spacing, width, case and Chinese form to one spelling', () => {
    expect(normaliseName(' 鄭 淑芬 ')).toBe('郑淑芬');
    expect(normaliseName('Ｍａｒｙ　Ｌｅｅ')).toBe('marylee');
    expect(hasName({ lastName: ' ', firstName: '' })).toBe(false);
    expect(hasName({ firstName: '小明' })).toBe(true);
  });
});
