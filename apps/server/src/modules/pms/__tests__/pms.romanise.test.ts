import { describe, expect, it } from 'vitest';
import { isRomanisationOf, pinyinToWadeGiles } from '../pms.romanise.ts';

describe('pinyinToWadeGiles: as Taiwanese passports print it', () => {
  it.each([
    ['xiao', 'hsiao'], ['zhi', 'chih'], ['zi', 'tzu'], ['si', 'ssu'], ['shi', 'shih'], ['ri', 'jih'], ['jie', 'chieh'], ['qing', 'ching'],
    ['xuan', 'hsuan'], ['juan', 'chuan'], ['xue', 'hsueh'], ['yue', 'yueh'], ['zhang', 'chang'], ['zeng', 'tseng'], ['cai', 'tsai'],
    ['guo', 'kuo'], ['luo', 'lo'], ['zhuo', 'cho'], ['dong', 'tung'], ['xiong', 'hsiung'], ['lian', 'lien'], ['gui', 'kuei'],
    ['hui', 'hui'], ['rong', 'jung'], ['ren', 'jen'], ['de', 'te'], ['ke', 'ko'], ['he', 'ho'], ['yan', 'yen'], ['ye', 'yeh'],
    ['yong', 'yung'], ['lü', 'lu'], ['er', 'erh'], ['bo', 'po'], ['ma', 'ma'],
  ])('%s → %s', (py, wg) => {
    expect(pinyinToWadeGiles(py)).toBe(wg);
  });
});

describe('isRomanisationOf', () => {
  it.each([
    ['王小明', 'WANG HSIAO MING'],
    ['王小明', 'Wang Hsiao-Ming'],
    ['王小明', 'Hsiao-Ming Wang'],
    ['王小明', 'WANG XIAOMING'],
    ['王小明', 'Xiaoming Wang'],
    ['蕭淑涵', 'HSIAO SHU HAN'],
    ['呂秀英', 'LU HSIU YING'],
    ['呂秀英', 'LV XIU YING'],
    ['歐陽娜娜', 'OUYANG NA NA'],
    ['張簡志明', 'CHANGCHIEN CHIH MING'],
    ['曾志明', 'TSENG CHIH MING'],
    ['林怡君', 'LIN I CHUN'],
  ])('%s ← %s', (han, latin) => {
    expect(isRomanisationOf(han, latin, han.startsWith('歐陽') || han.startsWith('張簡') ? 2 : 1)).toBe(true);
  });

  it.each([
    ['王小明', 'WANG HSIAO MIN'], // one syllable off: another person
    ['王小明', 'WANG TA MING'],
    ['王小明', 'LI HSIAO MING'],
    ['王小明', 'MING WANG HSIAO'], // syllables out of order
    ['王小明', 'WANG'],
    ['王', 'WANG'], // a family name alone proves nothing
    ['王小明', '王小明'],
    ['王小明', ''],
  ])('%s is not %s', (han, latin) => {
    expect(isRomanisationOf(han, latin)).toBe(false);
  });
});
