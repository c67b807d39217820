import { createRequire } from 'node:module';
import type * as PinyinPro from 'pinyin-pro';

/**
 * pinyin-pro (its dictionaries: ~12 MB once loaded) is required on the first name compared, not by every process at
 * start: most of a worker's life is campaigns and webhooks, and a PMS sync may never run in it (bench/README.md, RSS).
 * Required, not imported: the comparison is synchronous.
 */
let pinyinPro: typeof PinyinPro | undefined;
const pinyin: (typeof PinyinPro)['pinyin'] = ((...args: unknown[]) => {
  pinyinPro ??= createRequire(import.meta.url)('pinyin-pro') as typeof PinyinPro;
  return (pinyinPro.pinyin as (...a: unknown[]) => unknown)(...args);
}) as (typeof PinyinPro)['pinyin'];

/**
 * Does a romanised name spell a Chinese one? 德安 profiles made from OTA bookings carry only the booking name
 * (`HUANG YA TING`, `Ya-Ting Huang`), while members type 黃雅婷; passports in Taiwan mostly use Wade-Giles without
 * apostrophes (HSIAO, CHIH, TZU), OTAs and younger guests Hanyu Pinyin (XIAO, ZHI, ZI). Each character may be spelt
 * in either, for any of its readings (pinyin-pro gives the readings; family names read as family names); the
 * syllables must follow in order, family name first or last. Spacing, hyphens and case do not count.
 */

/** Hanyu Pinyin syllable (no tone, `ü` as `ü`) → Wade-Giles as Taiwanese passports print it (no apostrophes or umlauts). */
export function pinyinToWadeGiles(syllable: string): string {
  let s = syllable.toLowerCase();
  const whole: Record<string, string> = { zhi: 'chih', chi: 'chih', shi: 'shih', ri: 'jih', zi: 'tzu', ci: 'tzu', si: 'ssu', er: 'erh', yi: 'yi', you: 'yu', ye: 'yeh', yan: 'yen', yong: 'yung', yue: 'yueh', yuan: 'yuan', yun: 'yun', lüe: 'lueh', nüe: 'nueh', ge: 'ko', ke: 'ko', he: 'ho', e: 'o' };
  if (whole[s]) return whole[s]!;
  s = s.replace(/ü/g, 'u');
  const m = /^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(.*)$/.exec(s)!;
  const ini = m[1] ?? '';
  let fin = m[2]!;
  const initials: Record<string, string> = { b: 'p', p: 'p', m: 'm', f: 'f', d: 't', t: 't', n: 'n', l: 'l', g: 'k', k: 'k', h: 'h', j: 'ch', q: 'ch', x: 'hs', zh: 'ch', ch: 'ch', sh: 'sh', r: 'j', z: 'ts', c: 'ts', s: 's', y: 'y', w: 'w' };
  const initial = initials[ini] ?? '';
  fin = fin
    .replace(/^iong$/, 'iung')
    .replace(/^ong$/, 'ung')
    .replace(/^ian$/, 'ien')
    .replace(/^ie$/, 'ieh')
    .replace(/^ue$/, 'ueh')
    .replace(/^ui$/, ['g', 'k'].includes(ini) ? 'uei' : 'ui');
  if (fin === 'uo' && !['g', 'k', 'h', 'sh'].includes(ini)) fin = 'o';
  if (fin === 'e' && ['g', 'k', 'h'].includes(ini)) fin = 'o';
  return initial + fin;
}

const cache = new Map<string, string[]>();

/** Every spelling of one character: each reading in Pinyin (ü as u and as v) and in Wade-Giles. */
function spellings(char: string, asSurname: boolean): string[] {
  const key = `${asSurname ? 's' : 'g'}${char}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const readings = new Set<string>(pinyin(char, { toneType: 'none', type: 'array', multiple: true }));
  if (asSurname) for (const r of pinyin(char, { toneType: 'none', type: 'array', mode: 'surname' })) readings.add(r);
  const out = new Set<string>();
  for (const r of readings) {
    if (!/^[a-zü]+$/.test(r)) continue;
    out.add(r.replace(/ü/g, 'u'));
    out.add(r.replace(/ü/g, 'v'));
    out.add(pinyinToWadeGiles(r));
    if (r === 'yi') out.add('i');
  }
  const list = [...out];
  cache.set(key, list);
  return list;
}

/** Whether `latin` (letters only, lower case) is the characters' spellings in order. */
function spells(latin: string, chars: string[][]): boolean {
  let positions = new Set([0]);
  for (const options of chars) {
    const next = new Set<number>();
    for (const p of positions) for (const o of options) if (latin.startsWith(o, p)) next.add(p + o.length);
    if (next.size === 0) return false;
    positions = next;
  }
  return positions.has(latin.length);
}

/**
 * `han` is a whole Chinese name (family name first); `latin` a romanised name in any order of family and given name
 * (`WANG HSIAO MING`, `Hsiao-Ming Wang`, `Xiaoming Wang`). The family name is one or two characters (`surnameLength`).
 */
export function isRomanisationOf(han: string, latin: string, surnameLength = 1): boolean {
  const chars = [...han.normalize('NFKC').replace(/\s/gu, '')];
  if (chars.length < 2 || !chars.every((c) => /\p{Script=Han}/u.test(c))) return false;
  const words = latin.normalize('NFKC').toLowerCase().replace(/['’`]/g, '').split(/[\s,\-‧·.]+/u).filter(Boolean);
  if (words.length === 0 || !words.every((w) => /^[a-zv]+$/.test(w))) return false;
  const spelt = chars.map((c, i) => spellings(c, i < surnameLength));
  const surname = spelt.slice(0, surnameLength);
  const given = spelt.slice(surnameLength);
  // Family name first, or last (given name first, as Latin names are often written).
  for (let split = 1; split <= words.length; split++) {
    const head = words.slice(0, split).join('');
    const tail = words.slice(split).join('');
    if (tail === '' && spells(head, spelt)) return true;
    if (tail !== '' && spells(head, surname) && spells(tail, given)) return true;
    if (tail !== '' && spells(head, given) && spells(tail, surname)) return true;
  }
  return false;
}
